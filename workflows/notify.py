"""Who hears about an event: outbox rows written in the event's own transaction (DESIGN §8).

Addresses are not copied into the outbox; delivery reads them when it sends. A row is written
only where a channel can reach the person (an email address, or a phone/LINE ID and a configured
gateway webhook).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.choices import ActorKind, Role, Visibility
from core.crypto import decrypt_json
from core.dispatch import send_ids_on_commit
from core.models import Case, CaseEvent, Membership, Notification

DELIVER_TASK = "notifications.deliver"


def outbox_enqueue_for(event: CaseEvent, case: Case) -> list[Notification]:
    template, to_citizen, users = _audience(event, case)
    if template is None:
        return []
    now = timezone.now()
    rows = []
    if to_citizen:
        # A case just received cannot have duplicates merged into it yet.
        merged = [] if event.type == "submit" else _merged_into(case)
        for citizen_case in [case, *merged]:
            rows += [Notification(event=event, channel=channel, to_citizen=True, citizen_case=citizen_case,
                                  template=template, next_attempt_at=now)
                     for channel in _citizen_channels(citizen_case)]
    rows += [Notification(event=event, channel=Notification.Channel.EMAIL, user=user, template=template,
                          next_attempt_at=now) for user in users if user.email]
    Notification.objects.bulk_create(rows)
    for row in rows:
        send_ids_on_commit(DELIVER_TASK, row.pk)
    return rows


def _audience(event: CaseEvent, case: Case):
    """(template, to the citizen?, staff users) for this event."""
    if event.type == "submit":
        return "acknowledgement", True, []
    if event.type == "request_info":
        return "request_info", True, []
    if event.type == "merge":
        return "merged", True, []
    if event.visibility == Visibility.PUBLIC and event.data.get("message") and event.actor_kind != ActorKind.CITIZEN:
        return "answer_available", True, []
    if event.type == "reassign":
        return "assignment", False, [case.assignee]
    if event.type == "assign":
        users = [case.assignee] if case.assignee_id else _unit_members(case, heads_only=False)
        return "assignment", False, users
    if event.type == "sla_step" and event.data.get("level") == 0:
        return "sla_warning", False, [case.assignee] if case.assignee_id else _unit_members(case, heads_only=True)
    if event.type == "sla_step" and not event.data.get("escalates"):
        # A later clock's breach at a level already reached: remind whoever holds it now.
        accountable = _accountable_at(max(case.escalation_level, 1), case)
        return "sla_overdue", False, _unique([case.assignee] if case.assignee_id else [], accountable)
    if event.type == "escalate":
        return "escalation", False, _accountable_at(event.data["to_level"], case)
    return None, False, []


def _unique(*groups: list) -> list:
    seen, users = set(), []
    for user in (user for group in groups for user in group):
        if user.pk not in seen:
            seen.add(user.pk)
            users.append(user)
    return users


def _merged_into(case: Case) -> list[Case]:
    """Duplicates merged into this case: their requesters get every update of it (DESIGN §4)."""
    return list(Case.objects.filter(duplicate_of=case))


def _citizen_channels(case: Case) -> list[str]:
    if case.anonymous or not case.contact_encrypted:
        return []
    contact = decrypt_json(case.contact_encrypted)
    channels = []
    if contact.get("email"):
        channels.append(Notification.Channel.EMAIL)
    if (contact.get("phone") or contact.get("line_id")) and settings.NOTIFY_WEBHOOK_URL:
        channels.append(Notification.Channel.WEBHOOK)
    return channels


def _unit_members(case: Case, *, heads_only: bool) -> list:
    if case.unit_id is None:
        return []
    members = Membership.objects.filter(unit_id=case.unit_id, user__is_active=True).select_related("user")
    if heads_only:
        members = members.filter(is_head=True)
    return [membership.user for membership in members.order_by("user_id")]


def _accountable_at(level: int, case: Case) -> list:
    """Level 1: the unit's heads; level 2 and 3: the director (who also answers to the oversight body)."""
    if level == 1:
        return _unit_members(case, heads_only=True)
    return list(get_user_model().objects.filter(groups__name=Role.DIRECTOR, is_active=True).order_by("pk"))
