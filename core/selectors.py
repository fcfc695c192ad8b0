"""Reads of cases, each respecting who is asking (core.access)."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from core.access import visible_cases_q
from core.choices import ActorKind, Status, Visibility
from core.errors import NotFound
from core.models import Agency, Attachment, Case, CaseEvent, Unit, WaitingReason
from core.tracking import tracking_number_parse

NOT_FOUND_MESSAGE = "No case has this tracking number."


def _canonical_or_404(tracking: str) -> str:
    canonical = tracking_number_parse(tracking)
    if canonical is None:
        # Malformed and unknown numbers get the same answer: nothing to learn from the difference.
        raise NotFound(NOT_FOUND_MESSAGE)
    return canonical


def case_get_public(*, tracking: str) -> Case:
    canonical = _canonical_or_404(tracking)
    try:
        return Case.objects.select_related("unit").get(tracking_number=canonical)
    except Case.DoesNotExist:
        raise NotFound(NOT_FOUND_MESSAGE) from None


@dataclass(frozen=True)
class PublicCaseStatus:
    """What the public status answer shows, and no more (the hottest public read)."""

    tracking_number: str
    kind: str
    status: str  # as the public may see it (``public_status``)
    submitted_at: datetime
    updated_at: datetime
    resolve_due_at: datetime | None
    unit: Unit | None  # only its names
    timeline: list[dict]  # ``case_public_timeline``
    # While referred: to whom and since when; while on hold: why and until when at most (public_waiting).
    referral: dict | None = None
    waiting: dict | None = None

    @classmethod
    def of(cls, case: Case) -> "PublicCaseStatus":
        timeline = case_public_timeline(case)
        status = public_status(case, case.status)
        return cls(tracking_number=case.tracking_number, kind=case.kind, status=status,
                   submitted_at=case.submitted_at, updated_at=public_updated_at(case.sealed, case.updated_at, timeline),
                   resolve_due_at=case.resolve_due_at, unit=case.unit if case.unit_id else None, timeline=timeline,
                   **public_circumstances(status, case.referred_to_id, case.waiting_reason_id, case.waiting_until,
                                          timeline))


def public_circumstances(status: str, agency_id: int | None, reason_id: int | None, waiting_until: datetime | None,
                         timeline: list[dict]) -> dict:
    """What the public reads about a referral or a wait: the agency's name and the day the case went there, or
    the waiting reason's plain explanation. Read only for cases in those states (``status`` as the public sees it,
    so a sealed report tells neither)."""
    if status == Status.REFERRED and agency_id is not None:
        agency = Agency.objects.only("name_th", "name_en").get(pk=agency_id)
        since = next((entry["at"] for entry in reversed(timeline) if entry["status"] == Status.REFERRED), None)
        return {"referral": {"agency": agency.name, "at": since}}
    if status == Status.ON_HOLD and reason_id is not None:
        reason = WaitingReason.objects.get(pk=reason_id)
        return {"waiting": {"reason": reason.code, "label": reason.name, "explanation": reason.explanation,
                            "clock_stopped": reason.stops_clock, "until": waiting_until}}
    return {}


# One statement for the case, its unit's names and its status changes in order.
_PUBLIC_STATUS_SQL = f"""
SELECT c.tracking_number, c.kind, c.status, c.sealed, c.submitted_at, c.updated_at, c.resolve_due_at,
       c.unit_id, u.name_th, u.name_en, c.referred_to_id, c.waiting_reason_id, c.waiting_until,
       ARRAY(SELECT e.at FROM {CaseEvent._meta.db_table} e WHERE e.case_id = c.id AND e.to_status <> '' ORDER BY e.seq),
       ARRAY(SELECT e.to_status FROM {CaseEvent._meta.db_table} e WHERE e.case_id = c.id AND e.to_status <> ''
             ORDER BY e.seq)
FROM {Case._meta.db_table} c LEFT JOIN {Unit._meta.db_table} u ON u.id = c.unit_id
WHERE c.tracking_number = %s
"""


def case_get_public_status(*, tracking: str) -> PublicCaseStatus:
    """The public status of a case in one statement without the ORM (it cost more than the database did);
    tests hold it to the documented serializer."""
    canonical = _canonical_or_404(tracking)
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_STATUS_SQL, [canonical])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    (number, kind, status, sealed, submitted_at, updated_at, resolve_due_at, unit_id, name_th, name_en,
     agency_id, reason_id, waiting_until, event_times, event_statuses) = row
    timeline = _timeline(sealed, zip(event_times, event_statuses, strict=True))
    status = _public_status(sealed, status)
    return PublicCaseStatus(
        tracking_number=number, kind=kind, status=status, submitted_at=submitted_at,
        updated_at=public_updated_at(sealed, updated_at, timeline), resolve_due_at=resolve_due_at,
        unit=Unit(pk=unit_id, name_th=name_th, name_en=name_en) if unit_id else None, timeline=timeline,
        **public_circumstances(status, agency_id, reason_id, waiting_until, timeline),
    )


def case_get_for_update(*, tracking: str, user=None) -> Case:
    """The case row, locked until the transaction ends. With ``user``: only if they may see it."""
    canonical = _canonical_or_404(tracking)
    cases = Case.objects.select_for_update(of=("self",))
    if user is not None:
        cases = cases.filter(visible_cases_q(user))
    try:
        return cases.get(tracking_number=canonical)
    except Case.DoesNotExist:
        raise NotFound(NOT_FOUND_MESSAGE) from None


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.filter(visible_cases_q(user))


def case_get_visible(*, tracking: str, user) -> Case:
    canonical = _canonical_or_404(tracking)
    try:
        return cases_visible_to(user).select_related("category", "unit", "assignee").get(tracking_number=canonical)
    except Case.DoesNotExist:
        raise NotFound(NOT_FOUND_MESSAGE) from None


# A sealed report's outcome is not told before its conclusion: dismissal and referral for
# inquiry show as fact-finding until the integrity unit concludes and releases its summary.
# So are a referral to an investigating agency and a wait (which might say on what).
SEALED_PUBLIC_STATUS = {Status.DISMISSED: Status.FACT_FINDING, Status.REFERRED_FOR_INQUIRY: Status.FACT_FINDING,
                        Status.REFERRED: Status.FACT_FINDING, Status.ON_HOLD: Status.FACT_FINDING}


def public_status(case: Case, status: str) -> str:
    return _public_status(case.sealed, status)


def _public_status(sealed: bool, status: str) -> str:
    return SEALED_PUBLIC_STATUS.get(status, status) if sealed else status


def public_updated_at(sealed: bool, updated_at: datetime, timeline: list[dict]) -> datetime:
    """When the case last changed, as the public may know it. A sealed report's internal work (a dismissal
    shown as fact-finding until the conclusion, a note, an identity read) must not move it: for those,
    the last change of the status the public sees."""
    return timeline[-1]["at"] if sealed and timeline else updated_at


def case_public_timeline(case: Case) -> list[dict]:
    """Status changes only: what happened and when, nothing internal."""
    return _timeline(case.sealed, case.events.exclude(to_status="").order_by("seq").values_list("at", "to_status"))


def _timeline(sealed: bool, changes: Iterable[tuple[datetime, str]]) -> list[dict]:
    timeline: list[dict] = []
    for at, to_status in changes:
        status = _public_status(sealed, to_status)
        if not timeline or timeline[-1]["status"] != status:
            timeline.append({"at": at, "status": status})
    return timeline


def case_citizen_messages(case: Case) -> list[CaseEvent]:
    """The conversation the citizen may read: our public messages and the citizen's own.

    The requester of a duplicate also reads what the office wrote on the case it was merged into for all
    its requesters (``for_all_requesters``), never what it wrote to that case's own requester.
    """
    events = list(case.events.filter(visibility=Visibility.PUBLIC).order_by("seq"))
    if case.duplicate_of_id:
        kept = CaseEvent.objects.filter(case_id=case.duplicate_of_id, visibility=Visibility.PUBLIC,
                                        data__for_all_requesters=True)
        events += list(kept.exclude(actor_kind=ActorKind.CITIZEN).order_by("seq"))
        events.sort(key=lambda event: event.at)
    return [event for event in events if event.data.get("message")]


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("seq")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """An audit event as the staff case page tells it (the chain's hashes are for verification, not reading)."""

    seq: int
    at: datetime
    actor_kind: str
    actor_name: str  # the staff member's full name or username; "" for the citizen and the system
    type: str
    from_status: str
    to_status: str
    visibility: str
    data: dict


@dataclass(frozen=True, slots=True)
class CaseFile:
    pk: int
    original_name: str
    size: int
    uploaded_at: datetime


# The staff case page's timeline and files, each one statement written out: through the ORM (the actor joined,
# models built) the two cost a case page about 3 ms of CPU, more than the rest of its reads together.
_TIMELINE_SQL = (
    "SELECT e.seq, e.at, e.actor_kind, coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.username, ''),"
    " e.type, e.from_status, e.to_status, e.visibility, e.data"
    f" FROM {CaseEvent._meta.db_table} e LEFT JOIN {CaseEvent.actor.field.related_model._meta.db_table} u"
    " ON u.id = e.actor_id WHERE e.case_id = %s ORDER BY e.seq"
)
_FILES_SQL = (f"SELECT id, original_name, size, uploaded_at FROM {Attachment._meta.db_table}"
              " WHERE case_id = %s ORDER BY id")


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Every event of a case the reader may see, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(_TIMELINE_SQL, [case.pk])
        rows = cursor.fetchall()
    return [TimelineEntry(*row[:-1], data=json.loads(row[-1]) if isinstance(row[-1], str) else row[-1])
            for row in rows]


def case_files(case: Case) -> list[CaseFile]:
    """The files of a case the reader may see, as the case page lists them."""
    with connection.cursor() as cursor:
        cursor.execute(_FILES_SQL, [case.pk])
        return [CaseFile(*row) for row in cursor.fetchall()]
