"""What a citizen does with a tracking number and an access key: add information, rate the answer."""

from django.db import transaction
from django.utils import timezone

from core.choices import FINAL_STATUSES, ActorKind, Status, Visibility
from core.errors import Conflict, PermissionDenied
from core.models import Case, CaseEvent
from core.selectors import case_get_for_update, case_get_public
from core.tracking import access_key_matches
from workflows.events import case_event_record
from workflows.transitions import case_transition

WRONG_KEY_MESSAGE = "The access key does not match this case."


def case_get_with_key(*, tracking: str, access_key: str | None) -> Case:
    case = case_get_public(tracking=tracking)
    if not access_key_matches(access_key, case.access_key_hash):
        raise PermissionDenied(WRONG_KEY_MESSAGE)
    return case


def _locked_with_key(tracking: str, access_key: str | None) -> Case:
    case = case_get_for_update(tracking=tracking)
    if not access_key_matches(access_key, case.access_key_hash):
        raise PermissionDenied(WRONG_KEY_MESSAGE)
    return case


@transaction.atomic
def citizen_message_add(*, tracking: str, access_key: str | None, message: str) -> CaseEvent:
    """Record the citizen's message; if we were waiting for it, the case (and its clock) resumes."""
    case = _locked_with_key(tracking, access_key)
    if case.status in FINAL_STATUSES:
        raise Conflict("This case is closed; please submit a new case instead.")
    event = case_event_record(
        case=case,
        type="citizen_message",
        actor_kind=ActorKind.CITIZEN,
        data={"message": message},
        visibility=Visibility.PUBLIC,
    )
    if case.status == Status.AWAITING_INFO:
        case_transition(tracking=case.tracking_number, name="resume", origin=ActorKind.CITIZEN)
    else:
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return event


@transaction.atomic
def citizen_feedback_give(*, tracking: str, access_key: str | None, score: int, comment: str = "") -> Case:
    """Satisfaction with the answer (seed 3.5): once per case, and only after an answer."""
    case = _locked_with_key(tracking, access_key)
    if case.responded_at is None:
        raise Conflict("Feedback can be given once the case has been answered.")
    if case.feedback_at is not None:
        raise Conflict("Feedback has already been given for this case.")
    now = timezone.now()
    case.satisfaction_score, case.satisfaction_comment, case.feedback_at, case.updated_at = score, comment, now, now
    case.save(update_fields=["satisfaction_score", "satisfaction_comment", "feedback_at", "updated_at"])
    case_event_record(
        case=case,
        type="feedback",
        actor_kind=ActorKind.CITIZEN,
        data={"score": score, "comment": comment},
        visibility=Visibility.INTERNAL,
    )
    return case
