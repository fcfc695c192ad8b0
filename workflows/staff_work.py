"""Working a case without changing its status: notes, replies, claiming and reassigning.

Each is one transaction: the row lock, the change, its audit event and whom to tell.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import heads_unit, office_sees_case, staff_profile
from core.audit import PlannedEvent
from core.choices import FINAL_STATUSES, ActorKind, Status, Visibility
from core.crypto import decrypt_json
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.lookups import unit_active, user_active
from core.models import Case, Membership, ReplyTemplate, Unit
from core.selectors import case_get_for_update
from core.thai_dates import format_date
from core.tracking import access_key_new, tracking_number_parse
from workflows.changes import case_change_record
from workflows.notify import FOR_ALL_REQUESTERS
from workflows.permissions import supervises, triages_case, works_case


def _require_open(case: Case) -> None:
    if case.status in FINAL_STATUSES:
        raise Conflict(_("This case is closed; nothing more can be done to it."))


def _require_routed(case: Case) -> None:
    # A case still "submitted" is given out by the assign transition (routing or a supervisor), which
    # also moves its status and clocks; claiming or reassigning it would be undone by the router.
    if case.status == Status.SUBMITTED:
        raise Conflict(_("This case has not been assigned yet; use the assign transition."))


@transaction.atomic
def case_note_add(*, tracking: str, actor, text: str) -> PlannedEvent:
    """An internal note: staff only, never shown to the citizen."""
    case = case_get_for_update(tracking=tracking, user=actor)
    if not triages_case(case, actor):
        raise PermissionDenied(_("You may read this case but not add notes to it."))
    _require_open(case)
    return case_change_record(case, updates={"updated_at": timezone.now()}, type="note", actor=actor,
                              actor_kind=ActorKind.STAFF, data={"text": text}, visibility=Visibility.INTERNAL)


def reply_template_render(*, code: str, case: Case, actor) -> str:
    """A reply template's text with the case's details filled in, in Thai (Buddhist Era dates)."""
    template = ReplyTemplate.objects.filter(code=code, active=True).first()
    if template is None or (template.kind and template.kind != case.kind):
        message = f"No active reply template '{code}' for a {case.kind}."
        raise ValidationFailed(message, fields={"template": [message]})
    with translation.override("th"):
        values = {
            "tracking_number": case.tracking_number,
            "unit": case.unit.name_th if case.unit_id else "",
            "status": str(case.get_status_display()),
            "due_date": format_date(case.resolve_due_at, "th"),
            "officer": actor.get_full_name() or actor.username,
        }
    return template.body.format_map(values)


@transaction.atomic
def case_reply_add(*, tracking: str, actor, text: str = "", template: str = "",
                   for_all_requesters: bool = False) -> PlannedEvent:
    """A message to the citizen, readable with the access key and sent to them if they left a contact.

    ``template`` names a reply template to fill in instead of (or before) ``text``. ``for_all_requesters``:
    the requesters of duplicates merged into this case read it and are sent it too (``workflows.notify``).
    """
    case = case_get_for_update(tracking=tracking, user=actor)
    if not works_case(case, actor):
        raise PermissionDenied(_("Only the assignee or a supervisor of this case may reply to the citizen."))
    _require_open(case)
    if template:
        text = "\n\n".join(filter(None, [reply_template_render(code=template, case=case, actor=actor), text]))
    data = {"message": text, **({FOR_ALL_REQUESTERS: True} if for_all_requesters else {})}
    return case_change_record(case, updates={"updated_at": timezone.now()}, type="reply", actor=actor,
                              actor_kind=ActorKind.STAFF, data=data, visibility=Visibility.PUBLIC)


@transaction.atomic
def case_claim(*, tracking: str, actor) -> Case:
    """An officer takes a case from their unit's queue."""
    case = case_get_for_update(tracking=tracking, user=actor)
    _require_open(case)
    if case.unit_id is None or case.unit_id not in staff_profile(actor).unit_ids:
        raise PermissionDenied(_("You can claim only cases in your own unit's queue."))
    _require_routed(case)
    if case.assignee_id is not None:
        raise Conflict(_("Someone already has this case; ask a supervisor to reassign it."))
    case_change_record(case, updates={"assignee": actor, "updated_at": timezone.now()}, type="claim", actor=actor,
                       actor_kind=ActorKind.STAFF, data={"assignee": actor.username}, visibility=Visibility.INTERNAL)
    return case


def _reassign_one(case: Case, actor, assignee, unit: Unit | None) -> Case:
    _require_open(case)
    _require_routed(case)
    if not supervises(case, actor):
        raise PermissionDenied(_("You may not reassign %(number)s.") % {"number": case.tracking_number})
    target = unit or case.unit
    if target is None:
        message = _("%(number)s has no unit yet; name one.") % {"number": case.tracking_number}
        raise ValidationFailed(message, fields={"unit": [message]})
    if case.sealed and not target.is_integrity:
        message = _("A corruption report can go only to the integrity unit.")
        raise ValidationFailed(message, fields={"unit": [message]})
    if unit is not None and not heads_unit(actor, unit.pk):
        raise PermissionDenied(_("You do not supervise unit %(unit)s.") % {"unit": unit.code})
    if not Membership.objects.filter(user=assignee, unit=target).exists():
        message = _("'%(user)s' is not a member of unit '%(unit)s'.") % {"user": assignee.username, "unit": target.code}
        raise ValidationFailed(message, fields={"assignee": [message]})
    previous = case.assignee.username if case.assignee_id else None
    case_change_record(case, updates={"unit": target, "assignee": assignee, "updated_at": timezone.now()},
                       type="reassign", actor=actor, actor_kind=ActorKind.STAFF,
                       data={"from": previous, "to": assignee.username, "unit": target.code},
                       visibility=Visibility.INTERNAL)
    return case


@transaction.atomic
def cases_reassign(*, trackings: list[str], actor, assignee_username: str, unit_code: str | None = None) -> list[Case]:
    """Give one or more cases to an officer. All or nothing: one refused case refuses the batch."""
    assignee = user_active(assignee_username)
    unit = unit_active(unit_code) if unit_code else None
    # Lock in one global order (canonical number) so that two bulk reassignments cannot deadlock.
    canonical = sorted({tracking_number_parse(tracking) or tracking for tracking in trackings})
    cases = [case_get_for_update(tracking=tracking, user=actor) for tracking in canonical]
    return [_reassign_one(case, actor, assignee, unit) for case in cases]


@transaction.atomic
def case_identity_read(*, tracking: str, actor, reason: str = "") -> dict:
    """The requester's contact details. Reading a sealed reporter's identity is itself an audit event, with the
    reader's stated ``reason`` (the workspace asks for one)."""
    case = case_get_for_update(tracking=tracking, user=actor)
    if not office_sees_case(actor, case):
        raise PermissionDenied(_("A committee member reads the item, not the citizen's contact details."))
    if case.anonymous or not case.contact_encrypted:
        return {}
    if case.sealed:
        profile = staff_profile(actor)
        if not (profile.is_director or case.unit_id in profile.integrity_unit_ids):
            raise PermissionDenied("Only the integrity unit and the director may read a reporter's identity.")
        if not reason.strip():
            message = _("State why you need the reporter's identity: it is recorded with your name.")
            raise ValidationFailed(message, fields={"reason": [message]})
        case_change_record(case, type="identity_read", actor=actor, actor_kind=ActorKind.STAFF,
                           data={"reader": actor.username, "reason": reason}, visibility=Visibility.INTERNAL)
    return decrypt_json(case.contact_encrypted)


@transaction.atomic
def case_access_key_issue(*, tracking: str, actor) -> str:
    """A new access key for the reporter of a sealed report that staff recorded (whose key was never shown),
    issued by the integrity unit or the director, who hand it over by a channel of their choosing (a call back,
    a sealed letter). Any earlier key stops working; the issue is an audit event (the key is never recorded)."""
    case = case_get_for_update(tracking=tracking, user=actor)
    profile = staff_profile(actor)
    if not case.sealed or not (profile.is_director or case.unit_id in profile.integrity_unit_ids):
        raise PermissionDenied("Only the integrity unit and the director issue a sealed report's access key.")
    if case.recorded_by_id is None:
        # The reporter filed it themselves and holds its key: issuing another would lock them out of their
        # own report and let the issuer speak as them.
        raise Conflict("The reporter filed this report themselves and holds its access key; only they can "
                       "replace it.")
    key, key_hash = access_key_new()
    case_change_record(case, updates={"access_key_hash": key_hash}, type="access_key_issued", actor=actor,
                       actor_kind=ActorKind.STAFF, data={"by": actor.username}, visibility=Visibility.INTERNAL)
    return key
