"""Keeping the stored figures (``figure_models``) equal to what the indicators compute.

A case's figure is computed from the same sources and with the same definitions as
``indicators`` (closing method from the closing event, award clock, excluded days, worker parties,
claimed amounts) and written when an event of the case is committed (``on_event``, through a task,
so the request that recorded the event does not wait). The days the case touches before and after
(accepted on, closed on) are then added up again for its organisation. ``rebuild`` recomputes
everything from the source and is run every night and by ``manage.py rebuild_figures``; it is also
how a bulk import or a bench's synthetic province gets its figures. See ADR 0012.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhongcai.cases.models import Award, Case, CaseDeadline, ClaimItem, Finality, Origin, Party
from zhongcai.mediation.assessment import AGREED_STATES, ENDED_STATES
from zhongcai.mediation.models import MediationCase
from zhongcai.orgs.models import Organisation

from .figure_models import CaseFigure, DailyFigure, MediationFigure
from .indicators import CLOSING_EVENTS, with_method

logger = logging.getLogger(__name__)

BATCH = 2000
METHODS = (*dict.fromkeys(CLOSING_EVENTS.values()), "other")
ACCEPTED_FIELDS = ("accepted", "accepted_collective", "accepted_online", "workers",
                   "collective_workers", "amount")  # fmt: skip
CLOSED_FIELDS = ("closed", *(f"closed_{m}" for m in METHODS), "awards", "awards_final",
                 "clocked", "in_time", "net_days")  # fmt: skip
MEDIATION_FIELDS = ("mediation_agreed", "mediation_concluded")
Key = tuple[int, date]  # (organisation pk, day)


# --- One case's figure, computed set-based for a batch --------------------------------------


def _chunks(pks: Iterable[int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in pks:
        chunk.append(pk)
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def case_figures(pks: list[int]) -> list[CaseFigure]:
    """The figures of the accepted cases among ``pks`` (unsaved), as ``indicators`` reads them."""
    cases = with_method(Case.objects.filter(pk__in=pks, accepted_on__isnull=False))
    rows = cases.values_list(
        "pk", "institute_id", "accepted_on", "closed_at", "closing_event", "collective", "origin"
    )
    awards: dict[int, set[str]] = defaultdict(set)
    for case_id, finality in Award.objects.filter(
        case_id__in=pks, kind=Award.Kind.FULL
    ).values_list("case_id", "finality"):
        awards[case_id].add(finality)
    clocks: dict[int, tuple[date | None, str]] = {}
    excluded: dict[int, int] = defaultdict(int)
    for case_id, due_on, state, days in (
        CaseDeadline.objects.filter(case_id__in=pks, code="award")
        .order_by("case_id", "pk")
        .values_list("case_id", "due_on", "state", "excluded_days")
    ):
        clocks[case_id] = (due_on, state)  # the latest clock wins, as in indicators
        excluded[case_id] += days or 0
    workers = dict(
        Party.objects.filter(case_id__in=pks, kind=Party.Kind.WORKER)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    amounts = dict(
        ClaimItem.objects.filter(case_id__in=pks)
        .values("case_id")
        .annotate(total=Sum("amount"))
        .values_list("case_id", "total")
    )
    figures = []
    for pk, institute_id, accepted_on, closed_at, closing_event, collective, origin in rows:
        due_on, state = clocks.get(pk, (None, ""))
        closed_on = timezone.localdate(closed_at) if closed_at else None
        figure = CaseFigure(
            case_id=pk,
            organisation_id=institute_id,
            accepted_on=accepted_on,
            closed_on=closed_on,
            due_on=due_on,
            paused=state == CaseDeadline.State.PAUSED,
            collective=collective,
            online=origin == Origin.SYSTEM,
            workers=workers.get(pk, 0),
            amount=amounts.get(pk) or Decimal("0.00"),
        )
        if closed_on is not None:
            figure.method = CLOSING_EVENTS.get(closing_event or "", "other")
            figure.awarded = bool(awards.get(pk))
            figure.final = Finality.FINAL in awards.get(pk, ())
            figure.clocked = due_on is not None
            figure.in_time = due_on is not None and closed_on <= due_on
            figure.net_days = (closed_on - accepted_on).days - excluded.get(pk, 0)
        figures.append(figure)
    return figures


def mediation_figures(pks: list[int]) -> list[MediationFigure]:
    rows = MediationCase.objects.filter(
        pk__in=pks, concluded_at__isnull=False, status__in=ENDED_STATES
    ).values_list("pk", "organisation_id", "concluded_at", "status")
    return [
        MediationFigure(
            mediation_case_id=pk,
            organisation_id=organisation_id,
            concluded_on=timezone.localdate(concluded_at),
            agreed=status in AGREED_STATES,
        )
        for pk, organisation_id, concluded_at, status in rows
    ]


# --- Adding up days -------------------------------------------------------------------------


def _accepted_sums(figures: QuerySet[CaseFigure]) -> Iterator[tuple[Key, dict[str, Any]]]:
    sums = {
        "accepted": Count("pk"),
        "accepted_collective": Count("pk", filter=Q(collective=True)),
        "accepted_online": Count("pk", filter=Q(online=True)),
        "workers": Sum("workers"),
        "collective_workers": Sum("workers", filter=Q(collective=True)),
        "amount": Sum("amount"),
    }
    yield from _grouped(figures, "accepted_on", sums)


def _closed_sums(figures: QuerySet[CaseFigure]) -> Iterator[tuple[Key, dict[str, Any]]]:
    sums = {
        "closed": Count("pk"),
        **{f"closed_{m}": Count("pk", filter=Q(method=m)) for m in METHODS},
        "awards": Count("pk", filter=Q(awarded=True)),
        "awards_final": Count("pk", filter=Q(final=True)),
        "clocked": Count("pk", filter=Q(clocked=True)),
        "in_time": Count("pk", filter=Q(in_time=True)),
        "net_days": Sum("net_days"),
    }
    yield from _grouped(figures.filter(closed_on__isnull=False), "closed_on", sums)


def _mediation_sums(figures: QuerySet[MediationFigure]) -> Iterator[tuple[Key, dict[str, Any]]]:
    sums = {
        "mediation_concluded": Count("pk"),
        "mediation_agreed": Count("pk", filter=Q(agreed=True)),
    }
    yield from _grouped(figures, "concluded_on", sums)


def _grouped(
    figures: QuerySet[Any], day_field: str, sums: dict[str, Any]
) -> Iterator[tuple[Key, dict[str, Any]]]:
    """``sums`` per (organisation, day); aggregates are aliased, as some share a field's name."""
    aliased = {f"sum_{name}": aggregate for name, aggregate in sums.items()}
    for row in figures.values("organisation_id", day_field).annotate(**aliased):
        key = (row["organisation_id"], row[day_field])
        yield key, {name: row[f"sum_{name}"] for name in sums}


def _cells(keys: set[Key] | None, *, organisation_id: int | None = None) -> dict[Key, DailyFigure]:
    """The days ``keys`` (all days when None, of one organisation if given) added up again from
    the case figures."""

    def narrow(queryset: QuerySet[Any], day_field: str) -> QuerySet[Any]:
        if organisation_id is not None:
            queryset = queryset.filter(organisation_id=organisation_id)
        if keys is None:
            return queryset
        q = Q()
        for key_organisation, day in keys:
            q |= Q(organisation_id=key_organisation, **{day_field: day})
        return queryset.filter(q)

    cells: dict[Key, DailyFigure] = {}

    def cell(key: Key) -> DailyFigure:
        if key not in cells:
            cells[key] = DailyFigure(organisation_id=key[0], day=key[1])
        return cells[key]

    for sums in (
        _accepted_sums(narrow(CaseFigure.objects.all(), "accepted_on")),
        _closed_sums(narrow(CaseFigure.objects.all(), "closed_on")),
        _mediation_sums(narrow(MediationFigure.objects.all(), "concluded_on")),
    ):
        for key, values in sums:
            target = cell(key)
            for name, value in values.items():
                setattr(target, name, value or 0)
    return cells


def _write_cells(keys: set[Key]) -> None:
    if not keys:
        return
    for chunk in _chunks_of(sorted(keys), 200):
        cells = _cells(set(chunk))
        q = Q()
        for organisation_id, day in chunk:
            q |= Q(organisation_id=organisation_id, day=day)
        DailyFigure.objects.filter(q).delete()
        DailyFigure.objects.bulk_create(cells.values())


def _chunks_of(items: list[Key], size: int) -> Iterator[list[Key]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _keys(figures: Iterable[CaseFigure | MediationFigure]) -> set[Key]:
    keys: set[Key] = set()
    for f in figures:
        if isinstance(f, MediationFigure):
            keys.add((f.organisation_id, f.concluded_on))
            continue
        keys.add((f.organisation_id, f.accepted_on))
        if f.closed_on is not None:
            keys.add((f.organisation_id, f.closed_on))
    return keys


# --- Refresh and rebuild --------------------------------------------------------------------


FIGURES_LOCK = 0x5A43  # the advisory-lock namespace of the figures ("ZC")


def _take_turns(organisation_ids: Iterable[int]) -> None:
    """Refreshes and rebuilds of the same organisation's days take turns: the second reads the
    first's committed figures, so neither writes a day from a stale sum.

    On PostgreSQL an advisory lock per organisation, not a row lock on it: the services lock a
    case and then its institute (``select_for_update().select_related("institute")``) while a
    refresh, writing case figures, waits on the case's row; locking the institute's row here
    would deadlock with them. SQLite writes one transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for pk in sorted(set(organisation_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [FIGURES_LOCK, pk])


def _lock_organisations(case_pks: list[int], mediation_pks: list[int]) -> None:
    ids = set(Case.objects.filter(pk__in=case_pks).values_list("institute_id", flat=True))
    ids |= set(
        CaseFigure.objects.filter(case_id__in=case_pks).values_list("organisation_id", flat=True)
    )
    ids |= set(
        MediationCase.objects.filter(pk__in=mediation_pks).values_list("organisation_id", flat=True)
    )
    ids |= set(
        MediationFigure.objects.filter(mediation_case_id__in=mediation_pks).values_list(
            "organisation_id", flat=True
        )
    )
    ids.discard(None)
    _take_turns(ids)


@transaction.atomic
def refresh(case_pks: Iterable[int] = (), mediation_pks: Iterable[int] = ()) -> None:
    """Recompute the figures of these cases and the days they touch, before and after."""
    case_pks, mediation_pks = sorted(set(case_pks)), sorted(set(mediation_pks))
    _lock_organisations(case_pks, mediation_pks)
    keys: set[Key] = set()
    if case_pks:
        old = list(CaseFigure.objects.select_for_update().filter(case_id__in=case_pks))
        new = case_figures(case_pks)
        keys |= _keys(old) | _keys(new)
        CaseFigure.objects.filter(case_id__in=case_pks).delete()
        CaseFigure.objects.bulk_create(new)
    if mediation_pks:
        old_m = list(
            MediationFigure.objects.select_for_update().filter(mediation_case_id__in=mediation_pks)
        )
        new_m = mediation_figures(mediation_pks)
        keys |= _keys(old_m) | _keys(new_m)
        MediationFigure.objects.filter(mediation_case_id__in=mediation_pks).delete()
        MediationFigure.objects.bulk_create(new_m)
    _write_cells(keys)


def rebuild() -> dict[str, int]:
    """Everything again from the source, one organisation at a time: each in its own short
    transaction holding that organisation's lock, so the events' refreshes of the others go on
    and none of them meets a half-rebuilt organisation."""
    counts = {"cases": 0, "mediation_cases": 0, "days": 0}
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        for name, n in rebuild_organisation(organisation_id).items():
            counts[name] += n
    # Figures of organisations that no longer exist go with them (CASCADE); nothing else stays.
    return counts


@transaction.atomic
def rebuild_organisation(organisation_id: int) -> dict[str, int]:
    _take_turns([organisation_id])
    pks = list(
        Case.objects.filter(institute_id=organisation_id, accepted_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    CaseFigure.objects.filter(
        Q(organisation_id=organisation_id) | Q(case__institute_id=organisation_id)
    ).delete()
    cases = 0
    for chunk in _chunks(pks):
        figures_ = case_figures(chunk)
        CaseFigure.objects.bulk_create(figures_)
        cases += len(figures_)
    mediation_pks = list(
        MediationCase.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    MediationFigure.objects.filter(
        Q(organisation_id=organisation_id) | Q(mediation_case__organisation_id=organisation_id)
    ).delete()
    mediations = 0
    for chunk in _chunks(mediation_pks):
        figures_m = mediation_figures(chunk)
        MediationFigure.objects.bulk_create(figures_m)
        mediations += len(figures_m)
    DailyFigure.objects.filter(organisation_id=organisation_id).delete()
    cells = _cells(None, organisation_id=organisation_id)
    DailyFigure.objects.bulk_create(cells.values(), batch_size=BATCH)
    return {"cases": cases, "mediation_cases": mediations, "days": len(cells)}


def rebuild_days() -> int:
    """Every day again from the stored case figures (also what a bulk loader calls)."""
    DailyFigure.objects.all().delete()
    cells = _cells(None)
    DailyFigure.objects.bulk_create(cells.values(), batch_size=BATCH)
    return len(cells)


# --- When events are recorded ---------------------------------------------------------------


def on_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """``post_save`` of ``core.Event``: after the commit, refresh the figure of the event's case
    (an arbitration or a mediation case); events of anything else change no figure."""
    if not created or kwargs.get("raw"):
        return
    model = instance.subject_type.model_class()
    if model is Case:
        args = {"case_pks": [int(instance.subject_id)]}
    elif model is MediationCase:
        args = {"mediation_pks": [int(instance.subject_id)]}
    else:
        return
    from .tasks import refresh_figures

    transaction.on_commit(lambda: refresh_figures.delay(**args), robust=True)
