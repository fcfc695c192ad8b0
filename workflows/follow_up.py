"""After the decision ("you said, we did", docs/participation.md): implementation milestones of a decided
co-decision item or an adopted suggestion, and the people who follow an item by email. A milestone is a public
event of the item; its followers hear of it, and of every change of phase and every answered theme
(workflows.notify)."""

from datetime import date

from django.core import signing
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import ActorKind, Kind, Status, Visibility
from core.crypto import encrypt_json, keyed_hash
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.models import Case, Follower, Milestone
from core.selectors import case_get_for_update
from workflows.changes import case_change_record
from workflows.notify import FOLLOWED_KINDS
from workflows.permissions import works_case

# Where progress is reported: a decision being carried out, or a suggestion the office adopted.
PROGRESS_STATUSES = {Kind.CODECISION: {Status.DECIDED, Status.IMPLEMENTING, Status.ON_HOLD, Status.COMPLETED},
                     Kind.SUGGESTION: {Status.ADOPTED}}
UNFOLLOW_SALT = "rabfang.unfollow"


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


@transaction.atomic
def milestone_save(*, tracking: str, actor, title: str, percent: int, due_on: date | None = None,
                   done_on: date | None = None, note: str = "", milestone_id: int | None = None) -> Milestone:
    """Add a milestone or update one (how far, done when): the public page and the board show it."""
    case = case_get_for_update(tracking=tracking, user=actor)
    if not works_case(case, actor):
        raise PermissionDenied(_("Only the item's officer or a supervisor reports its progress."))
    if case.status not in PROGRESS_STATUSES.get(case.kind, ()):
        raise Conflict(_("Progress is reported on a decided co-decision item or an adopted suggestion."))
    title, note = (title or "").strip(), (note or "").strip()
    if not title:
        raise _invalid("title", _("Please fill in this field."))
    if len(title) > 300:
        raise _invalid("title", _("Please shorten this to at most 300 characters."))
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise _invalid("percent", _("A percentage from 0 to 100."))
    if done_on is not None and done_on > timezone.localdate():
        raise _invalid("done_on", _("A milestone cannot be done in the future."))
    if done_on is not None and percent != 100:
        raise _invalid("percent", _("A milestone that is done is at 100 percent."))
    milestone = Milestone(case=case)
    if milestone_id is not None:
        milestone = Milestone.objects.select_for_update().filter(pk=milestone_id, case=case).first()
        if milestone is None:
            raise NotFound(_("This item has no such milestone."))
    now = timezone.now()
    before = {"title": milestone.title, "percent": milestone.percent, "done_on": milestone.done_on}
    milestone.title, milestone.percent, milestone.due_on, milestone.done_on, milestone.note = (
        title, percent, due_on, done_on, note)
    milestone.updated_at, milestone.updated_by = now, actor
    milestone.save()
    message = f"{title} ({percent}%)"  # the same in either language: the staff's words and a number
    case_change_record(case, updates={"updated_at": now}, type="progress", actor=actor, actor_kind=ActorKind.STAFF,
                       at=now, visibility=Visibility.PUBLIC,
                       data={"milestone": milestone.pk, "message": message, "percent": percent,
                             "before": {k: str(v) if v is not None else None for k, v in before.items()}
                             if milestone_id else None})
    return milestone


@transaction.atomic
def follow_start(*, tracking: str, email: str, consent: bool, language: str = "th") -> Follower:
    """Follow an item by email (with the personal-data consent). Following again is not an error: the address
    already follows. The first message confirms it, with the link to stop."""
    case = case_get_for_update(tracking=tracking)
    if not followable(case):
        raise NotFound(_("This item cannot be followed."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except Exception:  # noqa: BLE001 - Django's ValidationError, reworded for the field
        raise _invalid("email", _("Enter a valid email address.")) from None
    if len(email) > 254:
        raise _invalid("email", _("Enter a valid email address."))
    if not consent:
        raise _invalid("consent", _("Please read and accept the personal data notice to follow this item."))
    digest = keyed_hash(email.lower())
    existing = Follower.objects.filter(case=case, email_hash=digest, stopped_at=None).first()
    if existing is not None:
        return existing
    now = timezone.now()
    follower = Follower.objects.create(case=case, email_encrypted=encrypt_json({"email": email}), email_hash=digest,
                                       language=language if language in ("th", "en") else "th", consent_at=now,
                                       created_at=now)
    # The event (no address in it) carries the confirmation to this follower only (workflows.notify).
    case_change_record(case, type="followed", actor_kind=ActorKind.CITIZEN, at=now, visibility=Visibility.INTERNAL,
                       data={"follower": follower.pk})
    return follower


def followable(case: Case) -> bool:
    """What the public may follow: a co-decision item once it is public (not a draft), a suggestion once adopted (the
    board's; before that it is its citizen's own case)."""
    if case.sealed or case.kind not in FOLLOWED_KINDS:
        return False
    return case.status != Status.DRAFT if case.kind == Kind.CODECISION else case.status == Status.ADOPTED


def unfollow_token(follower: Follower) -> str:
    return signing.dumps(follower.pk, salt=UNFOLLOW_SALT)


@transaction.atomic
def follow_stop(*, token: str) -> Follower:
    """Stop following, from the link in any message. The address is forgotten (only its keyed hash stays, so the
    count of followers an item had stays true)."""
    try:
        follower_id = signing.loads(token, salt=UNFOLLOW_SALT)
    except signing.BadSignature:
        raise NotFound(_("This link is not valid.")) from None
    follower = Follower.objects.select_for_update().filter(pk=follower_id).first()
    if follower is None:
        raise NotFound(_("This link is not valid."))
    if follower.stopped_at is None:
        follower.stopped_at, follower.email_encrypted = timezone.now(), ""
        follower.save(update_fields=["stopped_at", "email_encrypted"])
    return follower
