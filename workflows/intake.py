"""Receiving a case, from a citizen on the web or from staff on the citizen's behalf."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import task_names
from core.choices import FINAL_STATUSES, ActorKind, Kind, Priority, Status, Visibility
from core.config_cache import ConfigSnapshot, config_snapshot
from core.crypto import encrypt_json
from core.errors import Conflict, ValidationFailed
from core.lookups import unit_active
from core.models import Agency, Case, Category, School, Unit
from core.search import search_document_initial
from core.tracking import access_key_new, tracking_number_new, tracking_number_parse
from workflows.changes import CaseChange, case_changes_write
from workflows.privacy import PRIVACY_NOTICE_VERSION
from workflows.registry import workflow_for
from workflows.sla import sla_start

ROUTE_TASK = task_names.ROUTE_CASE

TRACKING_ATTEMPTS = 5


@dataclass(frozen=True)
class Receipt:
    case: Case
    access_key: str | None  # shown once; only its hash is kept (None: a sealed report recorded by staff)


def case_submit(
    *,
    kind: str,
    title: str,
    description: str,
    channel: str,
    category_code: str | None = None,
    anonymous: bool = False,
    contact: dict[str, Any] | None = None,
    language: str = "th",
    priority: str = Priority.NORMAL,
    recorded_by=None,
    unit_code: str | None = None,
    consent: bool = False,
    follows: str | None = None,
    received_from: Agency | None = None,
    received_letter_number: str = "",
    received_letter_date: date | None = None,
    location: dict[str, Any] | None = None,
    source: dict[str, Any] | None = None,
    school_code: str | None = None,
) -> Receipt:
    """Create the case and its first audit event in one transaction; 201 means both are committed. ``location``:
    ``latitude``, ``longitude``, ``address`` where the channel says; ``source``: which application sent it (an
    Open311 client), for the first event."""
    workflow = workflow_for(kind)
    config = config_snapshot()  # one version check for the whole intake
    category = _category(config, kind, category_code)
    school = _school(school_code) if school_code else None
    now = timezone.now()
    consent_at = now if consent else None
    access_key, key_hash = access_key_new()
    case = workflow.model(
        kind=kind,
        status=workflow.initial_status,
        channel=channel,
        category=category,
        priority=priority,
        title=title,
        description=description,
        anonymous=anonymous,
        # An anonymous requester's contact details are not kept at all (PDPA minimisation).
        contact_encrypted="" if anonymous else encrypt_json(_clean_contact(contact)),
        language=language,
        access_key_hash=key_hash,
        recorded_by=recorded_by,
        submitted_at=now,
        updated_at=now,
        resolve_due_at=now + timedelta(days=workflow.answer_days) if workflow.answer_days else None,
        school=school,
        **(location or {}),
    )
    if follows:
        case.follows = _closed_case(follows)
    if received_from is not None:
        case.received_from, case.received_letter_number, case.received_letter_date = (
            received_from, received_letter_number, received_letter_date)
    if kind == Kind.CORRUPTION:
        case.sealed = True
        case.unit = _integrity_unit(config)
    elif unit_code:
        case.unit = unit_active(unit_code)
    clocks = sla_start(case, now=now, config=config)  # sets the case's deadline columns before its one insert
    first_event = {"type": "submit", "actor": recorded_by,
                   "actor_kind": ActorKind.STAFF if recorded_by else ActorKind.CITIZEN, "to_status": case.status,
                   "data": _first_event_data(channel, consent_at, case, source), "visibility": Visibility.INTERNAL,
                   "at": now}
    # 55 random bits make a collision vanishingly rare, but a unique index decides, not hope. Each attempt
    # is its own atomic block (a savepoint inside a caller's transaction), so a collision rolls back only
    # that attempt, which is tried again with a new number.
    for attempt in range(TRACKING_ATTEMPTS):
        case.tracking_number = tracking_number_new(case.kind)
        case.search_document = search_document_initial(case)
        case.event_head_seq, case.event_head_hash = 0, ""
        change = CaseChange(case, new=True, new_clocks=clocks)
        change.event(**first_event)  # the first event's hash covers the tracking number
        if case.status == Status.SUBMITTED:
            change.task_for_case(ROUTE_TASK)
        try:
            with transaction.atomic():
                case_changes_write([change])
            break
        except IntegrityError:
            if case.pk is not None or attempt == TRACKING_ATTEMPTS - 1:
                raise
    return Receipt(case=case, access_key=access_key)


def _category(config: ConfigSnapshot, kind: str, code: str | None) -> Category | None:
    if not code:
        if kind == Kind.CODECISION:
            return None
        raise ValidationFailed("Choose a category.", fields={"category": ["This field is required."]})
    category = config.category(kind, code)
    if category is None:
        message = f"No active {kind} category has the code '{code}'."
        raise ValidationFailed(message, fields={"category": [message]})
    return category


def _school(code: str) -> School:
    school = School.objects.filter(code=code.strip(), active=True).first()
    if school is None:
        message = _("No school of the office has this code.")
        raise ValidationFailed(message, fields={"school": [message]})
    return school


def _integrity_unit(config: ConfigSnapshot) -> Unit:
    unit = config.integrity_unit
    if unit is None:
        raise Conflict("Corruption reports cannot be received: no integrity unit is configured.")
    return unit


def _closed_case(tracking: str) -> Case:
    """The earlier case a new one continues: it must exist and be closed (a case still open takes more
    information, or a reopening, instead)."""
    canonical = tracking_number_parse(tracking)
    earlier = Case.objects.filter(tracking_number=canonical, status__in=FINAL_STATUSES).first() if canonical else None
    if earlier is None:
        message = _("No closed case has this tracking number.")
        raise ValidationFailed(message, fields={"follows": [message]})
    return earlier


def _first_event_data(channel: str, consent_at, case: Case, source: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"channel": channel, **({"source": source} if source else {})}
    if case.follows is not None:
        data["follows"] = case.follows.tracking_number
    if case.received_from is not None:
        data["received_from"] = {"agency": case.received_from.code, "letter_number": case.received_letter_number,
                                 "letter_date": case.received_letter_date.isoformat()
                                 if case.received_letter_date else None}
    if consent_at is not None:
        # What the citizen agreed to, and when: the notice they were shown is identified by its version.
        data["consent"] = {"notice_version": PRIVACY_NOTICE_VERSION, "at": consent_at.isoformat()}
    return data


def _clean_contact(contact: dict[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (contact or {}).items() if value}
