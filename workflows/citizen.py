"""What a citizen does: submit (with files), and with the tracking number and access key add
information and rate the answer. Messages are in the reader's language: citizens read them."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import PlannedEvent
from core.choices import FINAL_STATUSES, ActorKind, Status, Visibility
from core.crypto import decrypt_json
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Case
from core.selectors import case_get_for_update, case_get_public
from core.tracking import access_key_matches, access_key_new
from workflows.attachments import attachment_checked, attachment_store
from workflows.changes import CaseChange, case_change_record, case_changes_write
from workflows.intake import Receipt, case_submit
from workflows.transitions import transition_plan


def citizen_case_submit(*, uploads=(), **fields) -> Receipt:
    """A case from the web form with its files: every file is checked first, then the case and
    each file's event are committed together, or nothing is."""
    uploads = list(uploads)
    if len(uploads) > settings.PORTAL_MAX_FILES:
        message = _("At most %(count)d files can be attached.") % {"count": settings.PORTAL_MAX_FILES}
        raise ValidationFailed(message, fields={"file": [message]})
    checked = [attachment_checked(upload) for upload in uploads]
    with transaction.atomic():
        receipt = case_submit(**fields)
        for item in checked:
            attachment_store(case=receipt.case, checked=item, actor_kind=ActorKind.CITIZEN)
    return receipt


def citizen_message_refusal(case: Case) -> str | None:
    """Why the citizen cannot add information now, or None if they can."""
    return _("This case is closed; please submit a new case instead.") if case.status in FINAL_STATUSES else None


def citizen_feedback_refusal(case: Case) -> str | None:
    """Why the answer cannot be rated now, or None if it can (once, after an answer)."""
    if case.responded_at is None:
        return _("Feedback can be given once the case has been answered.")
    return _("Feedback has already been given for this case.") if case.feedback_at is not None else None


def _wrong_key() -> PermissionDenied:
    return PermissionDenied(_("The access key does not match this case."))


def case_get_with_key(*, tracking: str, access_key: str | None) -> Case:
    case = case_get_public(tracking=tracking)
    if not access_key_matches(access_key, case.access_key_hash):
        raise _wrong_key()
    return case


def case_locked_with_key(tracking: str, access_key: str | None) -> Case:
    case = case_get_for_update(tracking=tracking)
    if not access_key_matches(access_key, case.access_key_hash):
        raise _wrong_key()
    return case


@transaction.atomic
def citizen_message_add(*, tracking: str, access_key: str | None, message: str) -> PlannedEvent:
    """Record the citizen's message; if we were waiting for it, the case (and its clock) resumes.
    Whoever works the case is told (``workflows.notify``)."""
    return _citizen_message(case_locked_with_key(tracking, access_key), message)


@transaction.atomic
def citizen_message_by_email(*, tracking: str, sender: str, message: str, channel: str) -> PlannedEvent:
    """The citizen's message sent from the address they gave with the case (a reply by email): the address stands in
    for the access key. From any other address it is refused, so that a case's number alone writes nothing to it."""
    case = case_get_for_update(tracking=tracking)
    given = (decrypt_json(case.contact_encrypted).get("email") or "") if not case.sealed else ""
    if not given or given.strip().lower() != (sender or "").strip().lower():
        raise PermissionDenied(_("This address is not the one the case was sent from."))
    return _citizen_message(case, message, channel=channel)


def _citizen_message(case: Case, message: str, *, channel: str = "") -> PlannedEvent:
    if (reason := citizen_message_refusal(case)) is not None:
        raise Conflict(reason)
    change = CaseChange(case)
    now = timezone.now()
    change.set(updated_at=now)
    event = change.event(type="citizen_message", actor_kind=ActorKind.CITIZEN,
                         data={"message": message, **({"channel": channel} if channel else {})},
                         visibility=Visibility.PUBLIC, at=now)
    if case.status == Status.AWAITING_INFO:
        transition_plan(change, name="resume", origin=ActorKind.CITIZEN, now=now)
    case_changes_write([change])
    return event


@transaction.atomic
def citizen_feedback_give(*, tracking: str, access_key: str | None, score: int, comment: str = "") -> Case:
    """Satisfaction with the answer (seed 3.5): once per case, and only after an answer. A low score
    (``LOW_SATISFACTION``) is brought to the unit's attention (``workflows.notify``)."""
    case = case_locked_with_key(tracking, access_key)
    if (reason := citizen_feedback_refusal(case)) is not None:
        raise Conflict(reason)
    now = timezone.now()
    case_change_record(case, updates={"satisfaction_score": score, "satisfaction_comment": comment,
                                      "feedback_at": now, "updated_at": now},
                       type="feedback", actor_kind=ActorKind.CITIZEN, data={"score": score, "comment": comment},
                       visibility=Visibility.INTERNAL, at=now)
    return case


@transaction.atomic
def citizen_access_key_rotate(*, tracking: str, access_key: str | None) -> str:
    """The requester replaces their access key: whoever else saw the old one (a clerk who took the call, a
    shared phone) can no longer read the case. Returns the new key, shown once."""
    case = case_locked_with_key(tracking, access_key)
    key, key_hash = access_key_new()
    case_change_record(case, updates={"access_key_hash": key_hash}, type="access_key_rotated",
                       actor_kind=ActorKind.CITIZEN, visibility=Visibility.INTERNAL)
    return key
