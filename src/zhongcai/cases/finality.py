"""The final-award test of spec §3.3a, as pure functions: classify, compare, state, notify.

1. Each ruling item's claim is (a) a money claim of LDMAL art. 47(1) — remuneration, work-injury
   medical costs, economic compensation, damages; (b) a dispute over national standards on
   working time, rest and leave or social insurance, art. 47(2); or (c) anything else.
2. (a) is final iff the amount awarded is not more than 12 months of the local monthly minimum
   wage in force on the day of the award; "不超过" includes the number itself (民法典 art. 1259),
   so an item of exactly 12 × the minimum wage is final. Each item is compared on its own
   (解释(一) art. 19).
3. (b) is final at any amount. 4. (c) is not final. Only the worker's claims can be final: an
   employer's claim is (c) whatever it asks for.
5. The award is final when every item is, non-final when none is, mixed otherwise.
6. The rights notice follows from the classification (LDMAL arts. 48–51).

Nothing here reads the database: the caller passes the standard in force and the setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from .models import AwardItem, ClaimClass, Finality
from .taxonomy import MONEY_CLAIMS, ClaimType

# LDMAL art. 47(1): "不超过当地月最低工资标准十二个月金额".
MONTHS = 12
# LDMAL art. 47(2): disputes over the national standards on working time, rest and leave,
# social insurance.
STANDARDS_CLAIMS = frozenset({ClaimType.WORKING_TIME_REST, ClaimType.SOCIAL_INSURANCE})
CENT = Decimal("0.01")


def claim_class_of(claim_type: str) -> ClaimClass:
    """Step 1 for a claim of the application, by its type (``taxonomy.ClaimType``)."""
    if claim_type in MONEY_CLAIMS:
        return ClaimClass.MONEY
    if claim_type in STANDARDS_CLAIMS:
        return ClaimClass.STANDARDS
    return ClaimClass.OTHER


def money(value: Decimal) -> str:
    """12345.6 → "12,345.60": amounts as the award and its reasons print them."""
    return f"{value.quantize(CENT):,.2f}"


@dataclass(frozen=True)
class WageStandard:
    """The monthly minimum wage in force for the commission on the day of the award."""

    monthly: Decimal
    place: str  # the division whose row applies (a county, its city or the province)
    effective_from: date

    @property
    def threshold(self) -> Decimal:
        return (self.monthly * MONTHS).quantize(CENT)


@dataclass(frozen=True)
class Ruling:
    """What the test reads of one ruling item."""

    claim_class: str  # ClaimClass
    outcome: str  # AwardItem.Outcome
    amount: Decimal | None
    by_worker: bool  # the claim is the worker's (an employer's claim is never final)


@dataclass(frozen=True)
class ItemFinality:
    claim_class: ClaimClass  # after step 1's rule on the employer's claims
    final: bool
    reason: str


def rejected_money_item_is_final() -> bool:
    """spec §3.3a step 2: some provinces treat a rejected (驳回) money claim as final [V2 local
    practice]; Shandong's policy is not confirmed, so it is off unless a deployment turns it on
    with ``CASES_REJECTED_MONEY_ITEM_IS_FINAL = True``."""
    return bool(getattr(settings, "CASES_REJECTED_MONEY_ITEM_IS_FINAL", False))


def item_finality(
    ruling: Ruling, standard: WageStandard | None, *, rejected_money_is_final: bool = False
) -> ItemFinality:
    """Steps 1–4 for one item. ``standard`` is needed only for a worker's money claim that was
    granted (``ValueError`` without it: the caller must refuse to award, never guess)."""
    if not ruling.by_worker:
        return ItemFinality(
            ClaimClass.OTHER,
            False,
            _("An employer's claim is never final (LDMAL art. 47 covers the worker's claims)."),
        )
    if ruling.claim_class == ClaimClass.STANDARDS:
        return ItemFinality(
            ClaimClass.STANDARDS,
            True,
            _(
                "Working time, rest and leave or social insurance standards: final at any "
                "amount (LDMAL art. 47(2))."
            ),
        )
    if ruling.claim_class != ClaimClass.MONEY:
        return ItemFinality(
            ClaimClass.OTHER, False, _("Not a claim that LDMAL art. 47 makes final.")
        )
    if ruling.outcome == AwardItem.Outcome.REJECTED:
        if rejected_money_is_final:
            reason = _("Money claim rejected: final under the province's practice (spec §3.3a).")
        else:
            reason = _(
                "Money claim rejected: not final unless the province treats it so (spec §3.3a)."
            )
        return ItemFinality(ClaimClass.MONEY, rejected_money_is_final, reason)
    if ruling.amount is None:
        return ItemFinality(
            ClaimClass.MONEY,
            False,
            _("No amount awarded: a money claim is final only within 12 months' minimum wage."),
        )
    if standard is None:
        raise ValueError("A worker's money claim needs the minimum wage in force.")
    numbers = {
        "amount": money(ruling.amount),
        "threshold": money(standard.threshold),
        "monthly": money(standard.monthly),
        "place": standard.place,
        "since": standard.effective_from.isoformat(),
    }
    # 民法典 art. 1259: "不超过" includes the number itself.
    if ruling.amount <= standard.threshold:
        return ItemFinality(
            ClaimClass.MONEY,
            True,
            _("%(amount)s ≤ %(threshold)s (12 × %(monthly)s, %(place)s, from %(since)s)") % numbers,
        )
    return ItemFinality(
        ClaimClass.MONEY,
        False,
        _("%(amount)s > %(threshold)s (12 × %(monthly)s, %(place)s, from %(since)s)") % numbers,
    )


def needs_standard(rulings: Iterable[Ruling]) -> bool:
    """Whether any item is a worker's money claim with an amount awarded."""
    return any(
        r.by_worker
        and r.claim_class == ClaimClass.MONEY
        and r.outcome != AwardItem.Outcome.REJECTED
        and r.amount is not None
        for r in rulings
    )


def overall_finality(finals: Iterable[bool]) -> Finality:
    """Step 5."""
    values = list(finals)
    if values and all(values):
        return Finality.FINAL
    if not any(values):
        return Finality.NON_FINAL
    return Finality.MIXED


# --- The text of record -------------------------------------------------------------------------
# The award is a legal document of the commission, in the official language whatever the language
# of the officer's screen; these sentences are its content, not interface text.

_FINAL = "本项为终局裁决。"
_NON_FINAL = "本项为非终局裁决。"


def item_statement(final: bool) -> str:
    """The sentence that follows each ruling item (解释(一) art. 18: the type must be stated)."""
    return _FINAL if final else _NON_FINAL


def _numbers(numbers: Sequence[int]) -> str:
    return "、".join(f"第{n}项" for n in numbers)


def rights_notice(items: Sequence[tuple[int, bool]]) -> list[str]:
    """Step 6: the parties' rights (LDMAL arts. 47–51), from (item number, final) pairs."""
    final = [number for number, is_final in items if is_final]
    non_final = [number for number, is_final in items if not is_final]
    paragraphs: list[str] = []
    if final and not non_final:
        paragraphs.append(
            "本裁决为终局裁决，自作出之日起发生法律效力（《劳动争议调解仲裁法》第四十七条）。"
        )
    elif final:
        paragraphs.append(
            f"本裁决{_numbers(final)}为终局裁决，自作出之日起发生法律效力"
            f"（《劳动争议调解仲裁法》第四十七条）；{_numbers(non_final)}为非终局裁决。"
        )
    if final:
        which = "本裁决" if not non_final else f"本裁决{_numbers(final)}"
        paragraphs.append(
            f"劳动者对{which}不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼"
            "（《劳动争议调解仲裁法》第四十八条）。"
        )
        paragraphs.append(
            f"用人单位有证据证明{which}有《劳动争议调解仲裁法》第四十九条第一款规定情形之一的，"
            "可以自收到裁决书之日起三十日内向本委员会所在地的中级人民法院申请撤销裁决"
            "（《劳动争议调解仲裁法》第四十九条）。"
        )
    if non_final:
        which = "本裁决" if not final else f"本裁决{_numbers(non_final)}"
        paragraphs.append(
            f"当事人对{which}不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼；"
            "期满不起诉的，裁决书发生法律效力（《劳动争议调解仲裁法》第五十条）。"
        )
    if final and non_final:
        paragraphs.append(
            "当事人就本裁决向人民法院提起诉讼的，本裁决全部按非终局裁决处理"
            "（《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第二十条）。"
        )
    paragraphs.append(
        "一方当事人逾期不履行发生法律效力的裁决的，另一方当事人可以依照民事诉讼法的有关规定"
        "向人民法院申请执行（《劳动争议调解仲裁法》第五十一条）。"
    )
    return paragraphs
