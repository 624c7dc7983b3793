"""What a worker or an employer's staff reads about its own case, in plain words.

Reads only: which cases, what stage, which dates matter, what is asked of the user, what was
served on it. Who sees a case is ``cases.selectors`` (``public_cases_q``); who acts for which
party is ``cases.representation``; which step is possible now is the transition table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.accounts.models import User
from zhongcai.cases import selectors, serving
from zhongcai.cases.models import (
    Case,
    CaseDeadline,
    CaseDocument,
    Defence,
    DocumentKind,
    Hearing,
    HearingRecord,
    Party,
    Receipt,
    RecordSignature,
    ServiceRecord,
    Status,
)
from zhongcai.cases.representation import parties_represented_by
from zhongcai.cases.workflow import TRANSITIONS

S = Status

# One sentence per stage, for someone who is not a lawyer. ``%(date)s`` is filled with the date
# that matters at that stage when there is one (see ``_STAGE_WITH_DATE``).
STAGE_TEXT = {
    S.DRAFT: gettext_lazy("This application is a draft: the commission has not received it yet."),
    S.RECEIVED: gettext_lazy(
        "The commission has received the application and will decide whether to accept it."
    ),
    S.AWAITING_CORRECTION: gettext_lazy(
        "The commission asked for the application to be completed. Once it is complete, the "
        "commission decides within 5 working days whether to accept it."
    ),
    S.ACCEPTED: gettext_lazy(
        "The commission has accepted the case. It will name the arbitrators and send the "
        "application to the other side."
    ),
    S.NOT_ACCEPTED: gettext_lazy(
        "The commission did not accept the application. Its written notice says why and what "
        "can be done next."
    ),
    S.REDIRECTED: gettext_lazy(
        "This commission cannot handle the case. Its notice says which commission to apply to."
    ),
    S.PANEL_FORMED: gettext_lazy("The arbitrators who will hear the case have been named."),
    S.DEFENCE_PERIOD: gettext_lazy(
        "The other side has been sent the application and may answer it in writing. Both sides "
        "hand in their evidence."
    ),
    S.HEARING_SCHEDULED: gettext_lazy("A hearing has been set. Its date and place are below."),
    S.HEARING: gettext_lazy("The hearing is under way."),
    S.DELIBERATION: gettext_lazy("The hearing is over. The arbitrators are deciding the case."),
    S.CLOSED_AWARD: gettext_lazy(
        "The arbitrators have decided the case. Read the award among the documents."
    ),
    S.CLOSED_MEDIATION: gettext_lazy(
        "The case ended with an agreement, written in a mediation document."
    ),
    S.CLOSED_WITHDRAWN: gettext_lazy("The application was withdrawn. The case is closed."),
    S.CLOSED_DEEMED_WITHDRAWN: gettext_lazy(
        "The case is closed as withdrawn: the applicant did not come to the hearing without a "
        "good reason, or left it without permission."
    ),
    S.CLOSED_REVOKED: gettext_lazy("The commission cancelled the case. Its decision says why."),
    S.CLOSED_TRANSFERRED: gettext_lazy(
        "The case was sent to another commission, which will handle it."
    ),
    S.ARCHIVED: gettext_lazy("The case is closed and its file is archived."),
}
# The same stage, with the date the user waits for.
_STAGE_WITH_DATE = {
    S.RECEIVED: (
        "acceptance_decision",
        gettext_lazy(
            "The commission has received the application and will decide by %(date)s whether "
            "to accept it."
        ),
    ),
    S.DELIBERATION: (
        "award",
        gettext_lazy(
            "The hearing is over. The arbitrators are deciding the case, in principle by %(date)s."
        ),
    ),
}

# The clocks a party cares about, and how each reads to it. ``defence`` runs per respondent.
DATE_LABELS = {
    "acceptance_decision": gettext_lazy("The commission decides whether to accept the case"),
    "evidence_period": gettext_lazy("Last day to hand in evidence"),
    "award": gettext_lazy("The arbitrators should decide the case (may be extended)"),
}
OWN_DEFENCE = gettext_lazy("Last day for your written defence")
OTHER_DEFENCE = gettext_lazy("Last day for the other side's written defence")
HEARING_LABEL = gettext_lazy("Hearing")

# Documents that take effect only once signed for by the parties (LDMAL art. 42: 调解书).
SIGNATURE_NEEDED = frozenset({DocumentKind.MEDIATION_DOCUMENT})


def day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def moment(value: datetime) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


@dataclass(frozen=True)
class KeyDate:
    on: date
    label: str
    at: datetime | None = None
    place: str = ""


@dataclass
class CaseView:
    """One case as the user reads it."""

    case: Case
    mine: list[Party]
    others: list[Party]
    stage: str
    dates: list[KeyDate]
    hearings: list[Hearing] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.case.case_number:
            return self.case.case_number
        if self.case.received_at:
            return _("Application received on %(date)s") % {
                "date": day(timezone.localdate(self.case.received_at))
            }
        return _("Application (draft)")

    @property
    def next_date(self) -> KeyDate | None:
        today = timezone.localdate()
        coming = [d for d in self.dates if d.on >= today]
        return coming[0] if coming else None


# --- Which cases ----------------------------------------------------------------------------


def my_cases(user: User) -> QuerySet[Case]:
    """Every case ``user`` may follow, newest first, with what the list shows."""
    return (
        selectors.cases_visible_to(user)
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.order_by("role", "pk")),
            Prefetch(
                "deadlines",
                queryset=CaseDeadline.objects.filter(
                    state=CaseDeadline.State.OPEN, code__in=[*DATE_LABELS, "defence"]
                ),
                to_attr="open_deadlines",
            ),
            Prefetch(
                "hearings",
                queryset=Hearing.objects.filter(
                    state=Hearing.State.SCHEDULED, starts_at__gte=timezone.now()
                )
                .select_related("room")
                .order_by("starts_at"),
                to_attr="coming_hearings",
            ),
        )
        .order_by("-created_at", "-pk")
    )


def case_view(user: User, case: Case) -> CaseView:
    """``case`` fetched through ``my_cases`` (its prefetches) or ``get_case_for``."""
    mine = parties_represented_by(user, case)
    mine_ids = {p.pk for p in mine}
    roles = {p.role for p in mine}
    parties = list(case.parties.all())
    other_role = (
        Party.Role.RESPONDENT
        if Party.Role.APPLICANT in roles or not roles
        else Party.Role.APPLICANT
    )
    others = [p for p in parties if p.role == other_role and p.pk not in mine_ids]
    deadlines = getattr(case, "open_deadlines", None)
    if deadlines is None:
        deadlines = list(
            case.deadlines.filter(state=CaseDeadline.State.OPEN, code__in=[*DATE_LABELS, "defence"])
        )
    hearings = getattr(case, "coming_hearings", None)
    if hearings is None:
        hearings = list(
            case.hearings.filter(state=Hearing.State.SCHEDULED, starts_at__gte=timezone.now())
            .select_related("room")
            .order_by("starts_at")
        )
    dates = _key_dates(deadlines, hearings, mine_ids)
    return CaseView(
        case=case,
        mine=mine,
        others=others,
        stage=stage_sentence(case, deadlines),
        dates=dates,
        hearings=hearings,
    )


def stage_sentence(case: Case, deadlines: list[CaseDeadline]) -> str:
    with_date = _STAGE_WITH_DATE.get(case.status)
    if with_date:
        code, text = with_date
        due = min((d.due_on for d in deadlines if d.code == code), default=None)
        if due is not None:
            return str(text) % {"date": day(due)}
    return str(STAGE_TEXT.get(case.status, case.get_status_display()))


def hearing_place(hearing: Hearing) -> str:
    if hearing.online:
        return _("Online hearing")
    if hearing.place:
        return hearing.place
    if hearing.room is not None:
        return ", ".join(part for part in (hearing.room.address, hearing.room.name) if part)
    return ""


def _key_dates(
    deadlines: list[CaseDeadline], hearings: list[Hearing], mine: set[int]
) -> list[KeyDate]:
    dates = []
    for deadline in deadlines:
        if deadline.code == "defence":
            label = OWN_DEFENCE if deadline.party_id in mine else OTHER_DEFENCE
        elif deadline.party_id is None or deadline.party_id in mine:
            label = DATE_LABELS[deadline.code]
        else:
            continue
        dates.append(KeyDate(on=deadline.due_on, label=str(label)))
    for hearing in hearings:
        dates.append(
            KeyDate(
                on=timezone.localdate(hearing.starts_at),
                label=str(HEARING_LABEL),
                at=hearing.starts_at,
                place=hearing_place(hearing),
            )
        )
    return sorted(dates, key=lambda d: d.on)


# --- The inbox and what is asked of the user -------------------------------------------------


def inbox(user: User, case: Case, mine: list[Party]) -> list[ServiceRecord]:
    """The documents served on the parties ``user`` acts for, newest first."""
    return list(
        ServiceRecord.objects.filter(
            case=case,
            party__in=[p.pk for p in mine],
            document__volume__in=selectors.readable_volumes(user),
        )
        .select_related("document", "document__rendition", "party")
        .order_by("-sent_at", "-pk")
    )


def may_sign(user: User, record: ServiceRecord) -> bool:
    """Not yet signed for, and ``user`` may sign for it online (``serving``'s rule)."""
    return record.signed_at is None and serving.online_signing_refusal(user, record) is None


def readable_documents(user: User, case: Case) -> QuerySet[CaseDocument]:
    """The documents of ``case`` ``user`` may open: parties read the main volume (办案规则 23)."""
    return CaseDocument.objects.filter(
        case=case, volume__in=selectors.readable_volumes(user)
    ).select_related("case", "rendition")


def step_open(case: Case, action: str) -> bool:
    """Whether the case's state allows ``action`` (the transition table's word)."""
    return case.status in TRANSITIONS[action].sources


@dataclass(frozen=True)
class RecordToSign:
    """The latest version of a hearing's record and the user's parties that have not signed it."""

    record: HearingRecord
    parties: list[Party]


def records_to_sign(case: Case, mine: list[Party]) -> list[RecordToSign]:
    """庭审笔录 the user's parties are asked to sign (LDMAL art. 40): the latest version of each
    session's record, while the step is open; a correction makes a new version to sign."""
    if not mine or not step_open(case, "sign_hearing_record"):
        return []
    latest: dict[int, HearingRecord] = {}
    for record in HearingRecord.objects.filter(hearing__case=case).order_by("version"):
        latest[record.hearing_id] = record
    found = []
    for record in latest.values():
        signed = set(
            RecordSignature.objects.filter(record=record, party__in=mine).values_list(
                "party_id", flat=True
            )
        )
        waiting = [p for p in mine if p.pk not in signed]
        if waiting:
            found.append(RecordToSign(record, waiting))
    return found


@dataclass(frozen=True)
class Task:
    text: str
    anchor: str


def tasks(user: User, case: Case, mine: list[Party], records: list[ServiceRecord]) -> list[Task]:
    """What the user is asked to do now, most pressing first."""
    todo = []
    if step_open(case, "confirm_service_address"):
        for party in mine:
            if serving.current_address(party) is None:
                todo.append(
                    Task(
                        _("Tell the commission where to send documents for %(party)s.")
                        % {"party": party.name},
                        "address",
                    )
                )
    if records_to_sign(case, mine):
        todo.append(Task(_("Read and sign the hearing record."), "hearing-records"))
    unsigned = [r for r in records if may_sign(user, r)]
    if unsigned:
        todo.append(
            Task(
                _("Confirm that you received %(count)d document(s).") % {"count": len(unsigned)},
                "inbox",
            )
        )
    for party, due in defence_due(case, mine):
        text = (
            _("File the written defence of %(party)s by %(date)s.")
            % {"party": party.name, "date": day(due)}
            if due
            else _("You may file the written defence of %(party)s.") % {"party": party.name}
        )
        todo.append(Task(text, "defence"))
    if step_open(case, "submit_evidence") and mine:
        evidence = next(
            (
                d.due_on
                for d in case.deadlines.filter(
                    code="evidence_period", state=CaseDeadline.State.OPEN
                )
            ),
            None,
        )
        todo.append(
            Task(
                _("Hand in your evidence by %(date)s.") % {"date": day(evidence)}
                if evidence
                else _("Hand in any evidence you have."),
                "evidence",
            )
        )
    return todo


def defence_due(case: Case, mine: list[Party]) -> list[tuple[Party, date | None]]:
    """The respondents the user acts for that have filed no defence yet, with their last day
    when their period runs (a late defence is still taken: LDMAL art. 30)."""
    if not step_open(case, "file_defence"):
        return []
    respondents = [p for p in mine if p.role == Party.Role.RESPONDENT]
    if not respondents:
        return []
    filed = set(
        Defence.objects.filter(case=case, party__in=respondents).values_list("party_id", flat=True)
    )
    clocks = {
        d.party_id: d.due_on
        for d in case.deadlines.filter(
            code="defence", party__in=respondents, state=CaseDeadline.State.OPEN
        )
    }
    return [(p, clocks.get(p.pk)) for p in respondents if p.pk not in filed]


# --- The counter query --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryAnswer:
    stage: str
    next_date: KeyDate | None


def answer_query(receipt_number: str, id_number: str) -> QueryAnswer | None:
    """The stage and next date of the case whose receipt is ``receipt_number``, if one of its
    applicants has ``id_number``; None otherwise, the same for either mismatch."""
    receipt = (
        Receipt.objects.filter(number=receipt_number.strip().upper())
        .select_related("case")
        .exclude(case__status=Status.DRAFT)
        .first()
    )
    if receipt is None:
        return None
    case = receipt.case
    if not case.parties.filter(
        role=Party.Role.APPLICANT, id_number__iexact=id_number.strip()
    ).exists():
        return None
    deadlines = list(
        case.deadlines.filter(
            state=CaseDeadline.State.OPEN, code__in=[*DATE_LABELS], party__isnull=True
        )
    )
    hearings = list(
        case.hearings.filter(state=Hearing.State.SCHEDULED, starts_at__gte=timezone.now())
        .select_related("room")
        .order_by("starts_at")
    )
    dates = [d for d in _key_dates(deadlines, hearings, set()) if d.on >= timezone.localdate()]
    return QueryAnswer(stage=stage_sentence(case, deadlines), next_date=dates[0] if dates else None)
