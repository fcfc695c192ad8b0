"""Committees' members (docs/participation.md): appointed and ended by the director or an administrator, each change
in the configuration log (who, when, from what to what). A term is ended, never deleted."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import staff_profile
from core.choices import Role
from core.config_changes import config_save
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.models import Committee, CommitteeMember


def may_manage_committees(user) -> bool:
    profile = staff_profile(user)
    return profile.is_director or Role.ADMIN in profile.roles


def committee_serving(committee: Committee, day: date) -> list[CommitteeMember]:
    """The members serving on ``day``."""
    return [member for member in committee.members.select_related("user", "group") if member.serves_on(day)]


@transaction.atomic
def committee_member_add(*, committee: Committee, actor, name: str, position: str, term_start: date, user=None,
                         group=None) -> CommitteeMember:
    _check(actor)
    member = CommitteeMember(committee=committee)
    return _saved(member, actor, {"name": (name or "").strip(), "position": position, "term_start": term_start,
                                  "user": user, "group": group})


@transaction.atomic
def committee_member_end(*, member_id: int, actor, term_end: date, reason: str) -> CommitteeMember:
    """The member's last day on the committee, and why (a new order, resignation, the term ran out)."""
    _check(actor)
    member = CommitteeMember.objects.select_for_update().filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("No such committee member."))
    if member.term_end is not None:
        raise Conflict(_("This term has already ended."))
    if not (reason or "").strip():
        message = _("Please fill in this field.")
        raise ValidationFailed(message, fields={"end_reason": [message]})
    return _saved(member, actor, {"term_end": term_end, "end_reason": reason.strip()})


def _check(actor) -> None:
    if not may_manage_committees(actor):
        raise PermissionDenied(_("Committees are managed by the director and administrators."))


def _saved(member: CommitteeMember, actor, fields: dict) -> CommitteeMember:
    try:
        return config_save(instance=member, actor=actor, fields=fields)
    except ValidationError as error:
        fields_errors = {field: [str(message) for message in messages]
                         for field, messages in error.message_dict.items()}
        first = next(iter(fields_errors.values()))[0]
        raise ValidationFailed(first, fields=fields_errors) from None
