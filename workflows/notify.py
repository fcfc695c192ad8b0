"""Who hears about an event: outbox rows written in the event's own transaction (docs/design.md, "Notifications").

Addresses are not copied into the outbox; delivery reads them when it sends. A row is written
only where a channel can reach the person (an email address, or a phone/LINE ID and a configured
gateway webhook).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from core import task_names
from core.audit import PlannedEvent
from core.bulk import rows_insert
from core.choices import ActorKind, Kind, Role, Status, Visibility
from core.crypto import decrypt_json
from core.dispatch import send_ids_on_commit
from core.models import Case, Follower, LineUser, Membership, Notification

DELIVER_TASK = task_names.NOTIFICATIONS_DELIVER


@dataclass(slots=True)
class OutboxRow:
    """One notification to write: the event (saved or planned), the channel and who."""

    event: PlannedEvent
    channel: str
    template: str
    to_citizen: bool = False
    citizen_case: Case | None = None  # (an object: a case being received has no primary key yet)
    user_id: int | None = None
    agency_id: int | None = None
    follower_id: int | None = None


def outbox_rows_for(event: PlannedEvent, case: Case,
                    staff: "StaffDirectory | None" = None) -> list[OutboxRow]:
    """The outbox rows for ``event`` as the case stands now, in memory (``outbox_insert`` writes them).

    ``staff`` answers "who heads this unit, who is director"; one directory shared by many events
    (the SLA sweep's batch) asks the database once per unit instead of once per event.
    """
    # Followers of a co-decision item or a suggestion (workflows.follow_up), whatever else the event does.
    rows = [OutboxRow(event, Notification.Channel.EMAIL, "follow_started" if event.type == "followed"
                      else "follow_update", follower_id=follower_id)
            for follower_id in followers_to_tell(case, event.type, event.data, event.from_status != event.to_status)]
    template, to_citizen, users = _audience(event, case, staff or StaffDirectory())
    if template is None:
        return rows
    if to_citizen:
        # The requesters of duplicates merged into this case hear of what the office marks for all of them
        # (a message to one requester may name them). A case just received has no duplicates yet.
        merged = _merged_into(case) if event.data.get(FOR_ALL_REQUESTERS) else []
        for citizen_case in [case, *merged]:
            rows += [OutboxRow(event, channel, template, to_citizen=True, citizen_case=citizen_case)
                     for channel in _citizen_channels(citizen_case)]
    rows += [OutboxRow(event, Notification.Channel.EMAIL, template, user_id=user.pk) for user in users if user.email]
    # Every staff member told by email is told in the workspace too (its bell), with or without an address.
    rows += [OutboxRow(event, Notification.Channel.INBOX, template, user_id=user.pk) for user in users]
    if event.type == "refer" and case.referred_to.email:
        # The agency's summary: what the case is about, never who reported it (templates/agency_referral).
        rows.append(OutboxRow(event, Notification.Channel.EMAIL, "agency_referral", agency_id=case.referred_to_id))
    return rows


OUTBOX_COLUMNS = ("event_id", "channel", "to_citizen", "citizen_case_id", "user_id", "agency_id", "follower_id",
                  "template", "next_attempt_at", "status", "sent_at")


def outbox_insert(rows: list[OutboxRow]) -> list[int]:
    """Insert outbox rows (their events already inserted) and ask for their delivery after commit. Inbox rows
    are there once written: they go in as sent, and no task is asked for them."""
    if not rows:
        return []
    now = timezone.now()
    inbox = Notification.Channel.INBOX
    ids = rows_insert(Notification, OUTBOX_COLUMNS, [
        (row.event.pk, row.channel, row.to_citizen, row.citizen_case.pk if row.citizen_case else None, row.user_id,
         row.agency_id, row.follower_id, row.template, now, *((Notification.Status.SENT, now) if row.channel == inbox
                                             else (Notification.Status.PENDING, None)))
        for row in rows])
    if to_deliver := [pk for pk, row in zip(ids, rows, strict=True) if row.channel != inbox]:
        send_ids_on_commit(DELIVER_TASK, *to_deliver)
    return ids


class StaffDirectory:
    """Assignees, unit members and directors, each asked for once (they do not change within a transaction)."""

    def __init__(self):
        self._members: dict[tuple[int, bool], list] = {}
        self._directors: list | None = None
        self._users: dict[int, Any] = {}

    def preload_assignees(self, cases: list[Case]) -> None:
        """Read the assignees of many cases at once (the sweep's batch: a few officers, many cases)."""
        wanted = {case.assignee_id for case in cases if case.assignee_id and case.assignee_id not in self._users}
        if wanted:
            self._users.update((user.pk, user) for user in get_user_model().objects.filter(pk__in=wanted))

    def assignee(self, case: Case):
        if Case.assignee.is_cached(case):
            return case.assignee
        if case.assignee_id not in self._users:
            self._users[case.assignee_id] = case.assignee
        return self._users[case.assignee_id]

    def unit_members(self, unit_id: int | None, *, heads_only: bool) -> list:
        if unit_id is None:
            return []
        key = (unit_id, heads_only)
        if key not in self._members:
            members = Membership.objects.filter(unit_id=unit_id, user__is_active=True).select_related("user")
            if heads_only:
                members = members.filter(is_head=True)
            self._members[key] = [membership.user for membership in members.order_by("user_id")]
        return self._members[key]

    def directors(self) -> list:
        if self._directors is None:
            self._directors = list(get_user_model().objects.filter(groups__name=Role.DIRECTOR, is_active=True)
                                   .order_by("pk"))
        return self._directors


def _audience(event: PlannedEvent, case: Case, staff: StaffDirectory):
    """(template, to the citizen?, staff users) for this event."""
    if event.type == "submit":
        return "acknowledgement", True, []
    if event.type == "refer":
        return "referred", True, []
    if event.type == "hold":
        return "waiting", True, []
    if event.type == "resume" and event.from_status == Status.ON_HOLD and event.actor_kind == ActorKind.SYSTEM:
        return "wait_over", False, _case_holders(case, staff)
    if event.type == "request_info":
        return "request_info", True, []
    if event.type == "merge":
        return "merged", True, []
    if event.visibility == Visibility.PUBLIC and event.data.get("message") and event.actor_kind != ActorKind.CITIZEN:
        return "answer_available", True, []
    if event.type == "reassign" or (event.type == "correct" and (event.data.get("assignee") or {}).get("to")):
        # (A corrected category that moved the case to another unit's officer tells that officer.)
        return "assignment", False, [staff.assignee(case)]
    if event.type == "assign":
        users = [staff.assignee(case)] if case.assignee_id else staff.unit_members(case.unit_id, heads_only=False)
        return "assignment", False, users
    if event.type == "sla_step" and event.data.get("level") == 0:
        return "sla_warning", False, _case_holders(case, staff)
    if event.type == "sla_step" and not event.data.get("escalates"):
        # A later clock's breach at a level already reached: remind whoever holds it now.
        accountable = _accountable_at(max(case.escalation_level, 1), case, staff)
        return "sla_overdue", False, _unique([staff.assignee(case)] if case.assignee_id else [], accountable)
    if event.type == "escalate":
        return "escalation", False, _accountable_at(event.data["to_level"], case, staff)
    if event.type == "close":
        # Closed (by staff, or by the system when the window after the answer ended): the citizen may still rate.
        return "closed", True, []
    if event.type == "reopen":
        return "reopened", False, _unique(_case_holders(case, staff), staff.unit_members(case.unit_id, heads_only=True))
    if event.type == "citizen_message":
        # Whoever works the case hears that the citizen wrote (and that a wait for them is over).
        return "citizen_message", False, _case_holders(case, staff)
    if event.type == "feedback" and event.data.get("score", LOW_SATISFACTION + 1) <= LOW_SATISFACTION:
        return "low_satisfaction", False, _unique(_case_holders(case, staff),
                                                  staff.unit_members(case.unit_id, heads_only=True))
    return None, False, []


# A rating at or below this (of 5) is brought to the assignee's and the unit heads' attention.
LOW_SATISFACTION = 2


def _case_holders(case: Case, staff: "StaffDirectory") -> list:
    """The assignee; for a case nobody holds yet, the heads of its unit."""
    return [staff.assignee(case)] if case.assignee_id else staff.unit_members(case.unit_id, heads_only=True)


def _unique(*groups: list) -> list:
    seen, users = set(), []
    for user in (user for group in groups for user in group):
        if user.pk not in seen:
            seen.add(user.pk)
            users.append(user)
    return users


# In an event's data: the office's message is for the requesters of the merged duplicates too.
FOR_ALL_REQUESTERS = "for_all_requesters"


def _merged_into(case: Case) -> list[Case]:
    """Duplicates merged into this case (their requesters hear of what is marked ``FOR_ALL_REQUESTERS``)."""
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
    # A case sent through the office's LINE Official Account hears back there, unless its sender blocked it.
    if (contact.get("line_user_id") and settings.LINE_CHANNEL_ACCESS_TOKEN
            and not LineUser.objects.filter(user_id=contact["line_user_id"], blocked_at__isnull=False).exists()):
        channels.append(Notification.Channel.LINE)
    return channels


def _accountable_at(level: int, case: Case, staff: StaffDirectory) -> list:
    """Level 1: the unit's heads; level 2 and 3: the director (who also answers to the oversight body)."""
    if level == 1:
        return staff.unit_members(case.unit_id, heads_only=True)
    return staff.directors()


# Items the public may follow by email (workflows.follow_up).
FOLLOWED_KINDS = (Kind.CODECISION, Kind.SUGGESTION)


def followers_to_tell(case: Case, event_type: str, data: dict, status_changed: bool) -> list[int]:
    """The followers an event of ``case`` is news for: a confirmation to a new follower; to all of them a change
    of phase (a decision among them), progress, and an answered theme."""
    if case.kind not in FOLLOWED_KINDS or case.pk is None:
        return []  # (a case being received has no followers yet: no query on the intake path)
    if event_type == "followed":
        return [data["follower"]]
    if not (status_changed or event_type in ("progress", "theme_answered")):
        return []
    return list(Follower.objects.filter(case_id=case.pk, stopped_at=None).values_list("pk", flat=True))
