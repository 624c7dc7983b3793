"""The limitation period for applying to arbitration (仲裁时效), LDMAL art. 27.

- Art. 27(1): one year from the day the party knew or should have known that its rights were
  infringed.
- Art. 27(4): wages owed during the employment (拖欠劳动报酬) are not limited by (1) while the
  employment lasts; once it ends, the claim must be made within one year of the day it ended.
- Art. 27(2)–(3): the period is interrupted (a demand on the employer, a complaint to the labour
  inspectorate…) and suspended (force majeure), which the platform cannot know.

So the platform only warns, with the dates the worker gave; it never blocks an application: only
the commission decides, and only when the employer raises the limitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zhongcai.cases.taxonomy import ClaimType
from zhongcai.core.calendar import is_rest_day


def one_year_after(day: date) -> date:
    """The last day of a one-year period that starts counting after ``day``: the corresponding
    day a year later (Civil Code art. 201: the first day is not counted; 29 February → 28), or,
    when that is a statutory holiday or a weekend, the first working day after it (art. 203),
    from the holiday calendar (``core.calendar``)."""
    try:
        end = day.replace(year=day.year + 1)
    except ValueError:
        end = day.replace(year=day.year + 1, day=28)
    try:
        while is_rest_day(end):
            end += timedelta(days=1)
    except ValueError:
        pass  # beyond the calendar's years: the corresponding day, uncarried
    return end


@dataclass(frozen=True)
class LimitationNote:
    """One finding: which claims it is about, the last day, and whether that day has passed."""

    wages: bool
    ends_on: date | None
    expired: bool
    message: str


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def limitation_notes(
    *,
    knew_on: date | None,
    ended_on: date | None,
    claim_types: list[str],
    today: date,
    still_employed: bool | None = None,
) -> list[LimitationNote]:
    """What to tell the worker about LDMAL art. 27 for the dates and claims given.

    Wages owed (``ClaimType.REMUNERATION``) follow art. 27(4); every other claim art. 27(1).
    "Not limited while employed" is said only to a worker who said it still works there; one
    who did not say, or left without giving the last day, is asked for that day instead.
    """
    notes: list[LimitationNote] = []
    types = set(claim_types)
    if ClaimType.REMUNERATION in types:
        if ended_on is None and not still_employed:
            notes.append(
                LimitationNote(
                    wages=True,
                    ends_on=None,
                    expired=False,
                    message=_(
                        "Wages owed during the employment: give your last day of work, if the "
                        "employment has ended. The one-year period runs from that day (LDMAL "
                        "art. 27(4))."
                    ),
                )
            )
        elif ended_on is None:
            notes.append(
                LimitationNote(
                    wages=True,
                    ends_on=None,
                    expired=False,
                    message=_(
                        "Wages owed during the employment: while you still work there, the "
                        "one-year period has not started (LDMAL art. 27(4))."
                    ),
                )
            )
        else:
            ends_on = one_year_after(ended_on)
            notes.append(_note(ends_on, today, wages=True))
    if knew_on is not None and (types - {ClaimType.REMUNERATION} or not types):
        notes.append(_note(one_year_after(knew_on), today, wages=False))
    return notes


def _note(ends_on: date, today: date, *, wages: bool) -> LimitationNote:
    expired = today > ends_on
    what = (
        _("wages owed (from the end of the employment, LDMAL art. 27(4))")
        if wages
        else _("your other claims (from the day you knew of the infringement, LDMAL art. 27(1))")
    )
    if expired:
        message = _(
            "According to the dates you gave, the one-year period for %(what)s ended on "
            "%(date)s. You can still apply: the period may have been interrupted, for example "
            "if you demanded payment from the employer or complained to the labour inspectorate; "
            "the commission decides."
        ) % {"what": what, "date": _day(ends_on)}
    else:
        message = _(
            "According to the dates you gave, the one-year period for %(what)s ends on %(date)s."
        ) % {"what": what, "date": _day(ends_on)}
    return LimitationNote(wages=wages, ends_on=ends_on, expired=expired, message=message)
