"""Claim calculator: what a worker can claim for the common items, with the article behind it.

Pure functions, no database. Each returns a ``Result`` carrying the amount to the fen, the formula
in words, the figures it used and the articles it applied, so the worker (and the arbitrator who
later reads the claim) can check every step. Bad input raises a ``CalculatorError`` whose
``field`` names the form field to attach the message to.

The worker's own dates are taken as given: the last day of work counts as a day worked.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .average_wages import AverageWage, NoAverageWage, average_wage_for, city_code

__all__ = [
    "CalculatorError",
    "Figure",
    "NoAverageWage",
    "Result",
    "annual_leave",
    "double_wages",
    "economic_compensation",
    "overtime_pay",
    "service_length",
    "unlawful_termination_damages",
]

FEN = Decimal("0.01")
# 劳社部发〔2008〕3号: 月计薪天数 = (365 - 104) ÷ 12 = 21.75; hourly = monthly ÷ (21.75 × 8).
PAID_DAYS_PER_MONTH = Decimal("21.75")
HOURS_PER_DAY = 8
MAX_MONTHLY_WAGE = Decimal("1000000")
MAX_OVERTIME_HOURS = Decimal("10000")
EARLIEST_DATE = dt.date(1950, 1, 1)

ART_47 = "《劳动合同法》第四十七条"
ART_87 = "《劳动合同法》第八十七条"
ART_82 = "《劳动合同法》第八十二条"
REG_6 = "《劳动合同法实施条例》第六条"
REG_7 = "《劳动合同法实施条例》第七条"
REG_25 = "《劳动合同法实施条例》第二十五条"
REG_27 = "《劳动合同法实施条例》第二十七条"
LABOR_LAW_44 = "《劳动法》第四十四条"
WAGE_CONVERSION = "《关于职工全年月平均工作时间和工资折算问题的通知》（劳社部发〔2008〕3号）"
LEAVE_REG_3 = "《职工带薪年休假条例》第三条"
LEAVE_REG_5 = "《职工带薪年休假条例》第五条"
LEAVE_MEASURES = "《企业职工带薪年休假实施办法》"


class CalculatorError(ValueError):
    """Input the calculator cannot use; ``message`` is for the user, ``field`` for the form."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


class InvalidAmount(CalculatorError):
    pass


class InvalidDates(CalculatorError):
    pass


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class Result:
    item: str
    amount: Decimal
    formula: str
    figures: tuple[Figure, ...]
    articles: tuple[str, ...]
    warnings: tuple[str, ...] = ()


# --- input checks -----------------------------------------------------------------------------


def _wage(value: Decimal, field: str = "monthly_wage") -> Decimal:
    value = Decimal(value)
    if not value.is_finite() or value <= 0:
        raise InvalidAmount(field, _("Enter the monthly wage in yuan, more than 0."))
    if value > MAX_MONTHLY_WAGE:
        raise InvalidAmount(
            field, _("This monthly wage is too high to be right. Check the figure.")
        )
    return value


def _dates(start: dt.date, end: dt.date, start_field: str, end_field: str) -> None:
    if start < EARLIEST_DATE:
        raise InvalidDates(start_field, _("This date is too early. Check the year."))
    if end < start:
        raise InvalidDates(end_field, _("This date is before the start date."))
    if end.year > timezone.localdate().year + 1:
        raise InvalidDates(end_field, _("This date is too far in the future. Check the year."))


def _money(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def _yuan(value: Decimal) -> str:
    return f"{_money(value):,}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- periods ----------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Span:
    """Whole months and left-over days from ``start`` through ``end`` (both days included)."""

    months: int
    days: int
    month_length: int  # days of the month the left-over days fall in, to pro-rate them

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.months) + Decimal(self.days) / Decimal(self.month_length)


def _span(start: dt.date, end: dt.date) -> Span:
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    while months > 0 and add_months(start, months) > after:
        months -= 1
    anchor = add_months(start, months)
    length = (add_months(start, months + 1) - anchor).days
    return Span(months=months, days=(after - anchor).days, month_length=length)


def service_length(start: dt.date, end: dt.date) -> Decimal:
    """Months of pay for 劳动合同法 第四十七条 第一款 (uncapped).

    每满一年 one month; a remainder of 六个月以上 counts as a year; 不满六个月 (but more than
    nothing) is half a month.
    """
    span = _span(start, end)
    remainder_months = span.months % 12
    base = Decimal(span.years)
    if remainder_months >= 6:
        return base + 1
    if remainder_months or span.days:
        return base + Decimal("0.5")
    return base


# --- economic compensation (N) and damages (2N) ------------------------------------------------


def economic_compensation(
    *,
    start: dt.date,
    end: dt.date,
    monthly_wage: Decimal,
    division_code: str,
    average_wage: AverageWage | None = None,
) -> Result:
    """经济补偿 N, 劳动合同法 第四十七条.

    ``monthly_wage`` is the average of the last twelve months before the end (第三款). The cap of
    第二款 compares it with the city's average of the year before the end; ``average_wage`` may be
    passed to use a specific row.
    """
    monthly_wage = _wage(monthly_wage)
    _dates(start, end, "start", "end")
    if average_wage is None:
        average_wage = average_wage_for(division_code, end.year - 1)
    months = service_length(start, end)
    span = _span(start, end)
    cap = average_wage.monthly * 3
    capped = monthly_wage > cap
    base = cap if capped else monthly_wage
    counted = min(months, Decimal(12)) if capped else months
    amount = _money(base * counted)

    figures = [
        Figure(_("Employment"), _("%(start)s to %(end)s") % {"start": start, "end": end}),
        Figure(
            _("Time worked"),
            _("%(years)s years %(months)s months %(days)s days")
            % {"years": span.years, "months": span.months % 12, "days": span.days},
        ),
        Figure(_("Months of pay for the time worked"), _number(months)),
        Figure(_("Your average monthly wage (last 12 months)"), _yuan(monthly_wage)),
        Figure(
            _("Average monthly wage used for the cap"),
            _("%(amount)s yuan (%(place)s, %(year)s; %(source)s)")
            % {
                "amount": _yuan(average_wage.monthly),
                "place": average_wage.division_name,
                "year": average_wage.year,
                "source": average_wage.source,
            },
        ),
        Figure(_("Cap: 3 × the average monthly wage"), _yuan(cap)),
    ]
    warnings = []
    if capped:
        formula = _(
            "Your wage is above 3 times the local average, so the monthly figure is the cap "
            "%(cap)s yuan and at most 12 years count: %(cap)s yuan × %(months)s = %(amount)s yuan."
        ) % {"cap": _yuan(cap), "months": _number(counted), "amount": _yuan(amount)}
    else:
        formula = _(
            "One month's wage for each full year worked (6 months or more counts as a year, less "
            "than 6 months as half a month): %(wage)s yuan × %(months)s = %(amount)s yuan."
        ) % {"wage": _yuan(monthly_wage), "months": _number(counted), "amount": _yuan(amount)}
    if division_code and average_wage.division_code != city_code(division_code):
        warnings.append(
            _("There is no figure for your city for %(year)s; the figure for %(place)s was used.")
            % {"year": average_wage.year, "place": average_wage.division_name}
        )
    if not average_wage.verified:
        warnings.append(
            _(
                "The local average wage used here has not been checked against the published "
                "figure yet. Ask the commission for the official figure."
            )
        )
    warnings.append(
        _(
            "If your average wage of the last 12 months is below the local minimum wage, the "
            "minimum wage is used instead."
        )
    )
    return Result(
        item="compensation",
        amount=amount,
        formula=formula,
        figures=tuple(figures),
        articles=(ART_47, REG_27),
        warnings=tuple(warnings),
    )


def unlawful_termination_damages(
    *,
    start: dt.date,
    end: dt.date,
    monthly_wage: Decimal,
    division_code: str,
    average_wage: AverageWage | None = None,
) -> Result:
    """赔偿金 2N, 劳动合同法 第八十七条: twice the 第四十七条 amount, counted from the first day
    of work (实施条例 第二十五条); it replaces economic compensation, never adds to it."""
    n = economic_compensation(
        start=start,
        end=end,
        monthly_wage=monthly_wage,
        division_code=division_code,
        average_wage=average_wage,
    )
    amount = _money(n.amount * 2)
    formula = _(
        "Twice the economic compensation: %(n)s yuan × 2 = %(amount)s yuan. (%(n_formula)s)"
    ) % {"n": _yuan(n.amount), "amount": _yuan(amount), "n_formula": n.formula}
    warnings = (
        _(
            "Damages for unlawful termination replace economic compensation: you cannot claim "
            "both for the same termination."
        ),
        *n.warnings,
    )
    return Result(
        item="damages",
        amount=amount,
        formula=formula,
        figures=(*n.figures, Figure(_("Economic compensation (N)"), _yuan(n.amount))),
        articles=(ART_87, ART_47, REG_25, REG_27),
        warnings=warnings,
    )


# --- double wages for no written contract ------------------------------------------------------


def double_wages(
    *,
    start: dt.date,
    last_day: dt.date,
    monthly_wage: Decimal,
    contract_signed_on: dt.date | None = None,
) -> Result:
    """The additional one-fold wage of 劳动合同法 第八十二条 for working without a written contract.

    实施条例 第六条: from the day after the first month of work (用工之日起满一个月的次日) to the
    day before a contract was signed; 第七条: at most until the day before the first anniversary,
    i.e. 11 months. A part month is pro-rated by the calendar days of that month.
    """
    monthly_wage = _wage(monthly_wage)
    _dates(start, last_day, "start", "last_day")
    if contract_signed_on is not None and contract_signed_on < start:
        raise InvalidDates("contract_signed_on", _("This date is before the first day of work."))
    first_day = add_months(start, 1)
    one_year_cap = add_months(start, 12) - dt.timedelta(days=1)
    ends = [last_day, one_year_cap]
    if contract_signed_on is not None:
        ends.append(contract_signed_on - dt.timedelta(days=1))
    period_end = min(ends)

    warnings = [
        _(
            "The claim for double wages is subject to the 1-year limitation period; months long "
            "past may be refused."
        )
    ]
    if period_end < first_day:
        amount = Decimal("0.00")
        months = Decimal(0)
        period = _("none: the written contract was signed or the work ended within the first month")
        formula = _("No double wages: the first month of work is allowed for signing the contract.")
    else:
        span = _span(first_day, period_end)
        months = span.fraction
        amount = _money(monthly_wage * months)
        period = _("%(start)s to %(end)s") % {"start": first_day, "end": period_end}
        formula = _(
            "One more month's wage for each month without a written contract after the first "
            "month, at most 11 months: %(wage)s yuan × %(months)s months = %(amount)s yuan."
        ) % {
            "wage": _yuan(monthly_wage),
            "months": _number(months.quantize(FEN, rounding=ROUND_HALF_UP)),
            "amount": _yuan(amount),
        }
        if span.days:
            warnings.append(
                _("The part month was counted by calendar days (%(days)s of %(length)s days).")
                % {"days": span.days, "length": span.month_length}
            )
        if period_end == one_year_cap and (
            contract_signed_on is None or contract_signed_on > one_year_cap
        ):
            warnings.append(
                _(
                    "After one full year without a written contract the law treats the contract "
                    "as one without a fixed term; double wages stop there (11 months at most)."
                )
            )
    figures = (
        Figure(_("First day of work"), str(start)),
        Figure(_("Period with double wages"), period),
        Figure(_("Monthly wage"), _yuan(monthly_wage)),
        Figure(_("Months counted"), _number(months.quantize(FEN, rounding=ROUND_HALF_UP))),
    )
    return Result(
        item="double_wages",
        amount=amount,
        formula=formula,
        figures=figures,
        articles=(ART_82, REG_6, REG_7),
        warnings=tuple(warnings),
    )


# --- unused annual leave ----------------------------------------------------------------------


def leave_entitlement(cumulative_years: Decimal) -> int:
    """Full-year days of 职工带薪年休假条例 第三条 by cumulative working years."""
    if cumulative_years < 1:
        return 0
    if cumulative_years < 10:
        return 5
    if cumulative_years < 20:
        return 10
    return 15


def annual_leave(
    *,
    monthly_wage: Decimal,
    cumulative_years: Decimal,
    period_start: dt.date,
    period_end: dt.date,
    days_taken: int = 0,
) -> Result:
    """The unpaid part of 300% pay for unused annual leave (条例 第五条, 实施办法 第十条至第十二条).

    The period is the part of one calendar year spent with the employer (实施办法 第五条 for a new
    joiner, 第十二条 when the contract ends). 300% includes the normal pay for the day, which the
    worker has already received; what can be claimed is the other 200%.
    """
    monthly_wage = _wage(monthly_wage)
    cumulative_years = Decimal(cumulative_years)
    if not cumulative_years.is_finite() or cumulative_years < 0 or cumulative_years > 60:
        raise InvalidAmount(
            "cumulative_years", _("Enter the years you have worked in total, from 0 to 60.")
        )
    _dates(period_start, period_end, "period_start", "period_end")
    if period_start.year != period_end.year:
        raise InvalidDates(
            "period_end",
            _("Calculate one calendar year at a time: the dates must be in the same year."),
        )
    if days_taken < 0 or days_taken > 366:
        raise InvalidAmount("days_taken", _("Enter the leave days already taken, 0 or more."))

    full_year_days = leave_entitlement(cumulative_years)
    calendar_days = (period_end - period_start).days + 1
    # 实施办法 第五条/第十二条: (calendar days ÷ 365) × the full-year days; part days are not paid.
    prorated = Decimal(calendar_days) / Decimal(365) * full_year_days
    entitled = min(int(prorated.to_integral_value(rounding=ROUND_FLOOR)), full_year_days)
    unused = max(int((prorated - days_taken).to_integral_value(rounding=ROUND_FLOOR)), 0)
    unused = min(unused, full_year_days)
    daily = monthly_wage / PAID_DAYS_PER_MONTH
    amount = _money(daily * 2 * unused)
    total_300 = _money(daily * 3 * unused)

    warnings = [
        _(
            "The law says 300%% of the daily wage, but that includes the normal pay you already "
            "received for those days. What you can still claim is the other 200%%: "
            "%(claim)s yuan of the %(total)s yuan."
        )
        % {"claim": _yuan(amount), "total": _yuan(total_300)},
        _(
            "If you yourself refused in writing to take leave the employer arranged, only the "
            "normal pay is due."
        ),
    ]
    if full_year_days == 0:
        warnings.append(_("Paid annual leave starts after 12 months of continuous work."))
    formula = _(
        "Daily wage = %(wage)s yuan ÷ 21.75 = %(daily)s yuan; unused days %(unused)s; "
        "%(daily)s yuan × 200%% × %(unused)s = %(amount)s yuan."
    ) % {
        "wage": _yuan(monthly_wage),
        "daily": _yuan(daily),
        "unused": unused,
        "amount": _yuan(amount),
    }
    figures = (
        Figure(_("Monthly wage without overtime"), _yuan(monthly_wage)),
        Figure(_("Total years worked"), _number(cumulative_years)),
        Figure(_("Leave days for a full year"), str(full_year_days)),
        Figure(
            _("Days with this employer in the year"),
            _("%(days)s days (%(start)s to %(end)s)")
            % {"days": calendar_days, "start": period_start, "end": period_end},
        ),
        Figure(_("Leave days due for these days"), str(entitled)),
        Figure(_("Leave days taken"), str(days_taken)),
        Figure(_("Unused leave days"), str(unused)),
        Figure(_("Daily wage (monthly ÷ 21.75)"), _yuan(daily)),
        Figure(_("Three times the daily wage for the unused days"), _yuan(total_300)),
    )
    return Result(
        item="annual_leave",
        amount=amount,
        formula=formula,
        figures=figures,
        articles=(
            LEAVE_REG_3,
            LEAVE_REG_5,
            f"{LEAVE_MEASURES}第五条",
            f"{LEAVE_MEASURES}第十条",
            f"{LEAVE_MEASURES}第十一条",
            f"{LEAVE_MEASURES}第十二条",
        ),
        warnings=tuple(warnings),
    )


# --- overtime ---------------------------------------------------------------------------------


def _hours(value: Decimal, field: str) -> Decimal:
    value = Decimal(value)
    if not value.is_finite() or value < 0:
        raise InvalidAmount(field, _("Enter the hours, 0 or more."))
    if value > MAX_OVERTIME_HOURS:
        raise InvalidAmount(field, _("This number of hours is too high to be right."))
    return value


def overtime_pay(
    *,
    monthly_wage: Decimal,
    workday_hours: Decimal = Decimal(0),
    rest_day_hours: Decimal = Decimal(0),
    holiday_hours: Decimal = Decimal(0),
) -> Result:
    """劳动法 第四十四条: 150% on workdays, 200% on rest days without time off in lieu, 300% on
    statutory holidays; hourly wage = monthly ÷ (21.75 × 8) (劳社部发〔2008〕3号)."""
    monthly_wage = _wage(monthly_wage)
    parts: Sequence[tuple[str, Decimal, Decimal]] = (
        ("workday_hours", _hours(workday_hours, "workday_hours"), Decimal("1.5")),
        ("rest_day_hours", _hours(rest_day_hours, "rest_day_hours"), Decimal(2)),
        ("holiday_hours", _hours(holiday_hours, "holiday_hours"), Decimal(3)),
    )
    if not any(hours for _name, hours, _rate in parts):
        raise InvalidAmount("workday_hours", _("Enter the overtime hours in at least one line."))
    hourly = monthly_wage / (PAID_DAYS_PER_MONTH * HOURS_PER_DAY)
    subtotals = [hourly * hours * rate for _name, hours, rate in parts]
    amount = _money(sum(subtotals, Decimal(0)))
    labels = {
        "workday_hours": _("Overtime on workdays (150%)"),
        "rest_day_hours": _("Work on rest days without time off (200%)"),
        "holiday_hours": _("Work on statutory holidays (300%)"),
    }
    figures = [
        Figure(_("Monthly wage"), _yuan(monthly_wage)),
        Figure(_("Hourly wage (monthly ÷ 21.75 ÷ 8)"), _yuan(hourly)),
    ]
    for (name, hours, _rate), subtotal in zip(parts, subtotals, strict=True):
        if hours:
            figures.append(
                Figure(
                    labels[name],
                    _("%(hours)s hours = %(amount)s yuan")
                    % {"hours": _number(hours), "amount": _yuan(subtotal)},
                )
            )
    formula = _(
        "Hourly wage %(hourly)s yuan × (workday hours × 150%% + rest-day hours × 200%% + "
        "holiday hours × 300%%) = %(amount)s yuan."
    ) % {"hourly": _yuan(hourly), "amount": _yuan(amount)}
    warnings = (
        _(
            "This is the full overtime pay. If part of it was paid, claim only the difference. "
            "Keep attendance records: they prove the hours."
        ),
    )
    return Result(
        item="overtime",
        amount=amount,
        formula=formula,
        figures=tuple(figures),
        articles=(LABOR_LAW_44, WAGE_CONVERSION),
        warnings=warnings,
    )
