"""Committees (docs/participation.md): members appointed and ended by the director or an administrator, meetings
with their attendance, and resolutions with each present member's vote, each in the configuration log (who, when,
from what to what). A term is ended, never deleted; a resolution is recorded once."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import office_sees_case, staff_profile
from core.choices import Kind, Role
from core.config_changes import config_log, config_save
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.files import ALLOWED
from core.models import (
    Attendance,
    Case,
    Committee,
    CommitteeMember,
    CommitteePosition,
    Meeting,
    MeetingDocument,
    Resolution,
    StakeholderGroup,
    Vote,
    VoteChoice,
)
from core.participation import quorum_met, quorum_needed, resolution_outcome
from core.tracking import tracking_number_parse
from workflows.attachments import attachment_checked


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


def member_references(*, username: str = "", group: str = "") -> tuple:
    """The account and the stakeholder group a new member's form names (400 on the field for an unknown one)."""
    user = None
    if username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise _invalid("username", _("No active account has this username."))
    chosen = None
    if group:
        chosen = StakeholderGroup.objects.filter(code=group).first()
        if chosen is None:
            raise _invalid("group", _("Choose one of the groups listed."))
    return user, chosen


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


def may_record_meetings(user, committee: Committee) -> bool:
    """The director, administrators, and the committee's secretary (a serving member with an account)."""
    if may_manage_committees(user):
        return True
    today = timezone.localdate()
    return committee.members.filter(user=user, position=CommitteePosition.SECRETARY).filter(
        term_start__lte=today).exclude(term_end__lt=today).exists()


@transaction.atomic
def meeting_record(*, committee: Committee, actor, number: str, held_at: datetime, present: set[int],
                   place: str = "", link: str = "", minutes: str = "", agenda: list[str] | None = None) -> Meeting:
    """A meeting and its attendance (every member serving on the day, present or not), its agenda (tracking
    numbers of co-decision items and suggestions) and its minutes."""
    if not may_record_meetings(actor, committee):
        raise PermissionDenied(_("Meetings are recorded by the committee's secretary, the director or an "
                                 "administrator."))
    serving = {member.pk for member in committee_serving(committee, timezone.localdate(held_at))}
    if not present <= serving:
        message = _("Only members serving on the day of the meeting attend it.")
        raise ValidationFailed(message, fields={"present": [message]})
    if not (number or "").strip():
        message = _("Please fill in this field.")
        raise ValidationFailed(message, fields={"number": [message]})
    items = _agenda_items(committee, actor, agenda or [])
    meeting = Meeting.objects.create(committee=committee, number=number.strip(), held_at=held_at, place=place,
                                     link=link, minutes=minutes or "", recorded_by=actor)
    meeting.agenda.set(items)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member_id=member_id, present=member_id in present)
                                    for member_id in sorted(serving)])
    config_log(actor=actor, instance=meeting, action="create", before=None,
               after={"committee": committee.pk, "number": meeting.number, "held_at": held_at.isoformat(),
                      "present": sorted(present), "serving": sorted(serving),
                      "agenda": sorted(case.tracking_number for case in items)})
    return meeting


AGENDA_KINDS = (Kind.CODECISION, Kind.SUGGESTION)


def _agenda_items(committee: Committee, actor, numbers: list[str]) -> list[Case]:
    """What a meeting may consider: the committee's own co-decision items, and co-decision items and suggestions
    the recorder reads as the office's staff. (A committee member who records their committee's meetings cannot
    bring a citizen's suggestion before it, and so into their own and their colleagues' reading.)"""
    canonical = {tracking_number_parse(number) or number for number in numbers}
    items = list(Case.objects.filter(tracking_number__in=canonical, kind__in=AGENDA_KINDS, sealed=False))
    if len(items) != len(canonical) or any(case.committee_id != committee.pk and not office_sees_case(actor, case)
                                           for case in items):
        raise _invalid("agenda", _("Name a co-decision item or a suggestion on the agenda."))
    return items


@transaction.atomic
def meeting_document_add(*, meeting_id: int, actor, upload) -> MeetingDocument:
    """A file of the meeting (its signed minutes, the attendance sheet), checked like a case's attachment."""
    checked = attachment_checked(upload)
    meeting = Meeting.objects.select_for_update().select_related("committee").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("No such meeting."))
    if not may_record_meetings(actor, meeting.committee):
        raise PermissionDenied(_("Meetings are recorded by the committee's secretary, the director or an "
                                 "administrator."))
    document = MeetingDocument(meeting=meeting, original_name=checked.name, content_type=checked.content_type,
                               size=checked.size, sha256=checked.sha256, uploaded_by=actor)
    checked.upload.seek(0)
    document.file.save(f"{meeting.pk}.{ALLOWED[checked.content_type]}", checked.upload, save=False)
    try:
        document.save()
        config_log(actor=actor, instance=document, action="create", before=None,
                   after={"meeting": meeting.pk, "name": checked.name, "sha256": checked.sha256})
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def resolution_record(*, meeting_id: int, tracking: str, motion: str, votes: dict[int, str], actor,
                      conflicts: dict[int, str] | None = None, chair_casts: str | None = None,
                      now: datetime | None = None) -> Resolution:
    """Each present member's vote on a motion about an agenda item; the outcome from the committee's rules. Refused,
    with nothing written, without a quorum (members who declared a conflict of interest do not count), with a vote
    by anyone but a present member, without every present member's vote, or with a conflict undeclared."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("committee").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("No such meeting."))
    committee = meeting.committee
    if not may_record_meetings(actor, committee):
        raise PermissionDenied(_("Meetings are recorded by the committee's secretary, the director or an "
                                 "administrator."))
    case = Case.objects.filter(tracking_number=tracking_number_parse(tracking or "") or "-",
                               kind__in=AGENDA_KINDS).first()
    # A resolution is about the committee's own item or an item on this meeting's agenda, nothing else.
    if case is None or not (case.committee_id == committee.pk or meeting.agenda.filter(pk=case.pk).exists()):
        raise _invalid("case", _("Name a co-decision item or a suggestion on the agenda."))
    motion = (motion or "").strip()
    if not motion:
        raise _invalid("motion", _("Please fill in this field."))
    conflicts = {member_id: (text or "").strip() for member_id, text in (conflicts or {}).items()}
    attendance = {row.member_id: row.present for row in meeting.attendance.all()}
    present = {member_id for member_id, here in attendance.items() if here}
    if set(votes) - present:
        raise _invalid("votes", _("Only members present at the meeting vote."))
    if present - set(votes):
        raise _invalid("votes", _("Record the vote of every member present (for, against, abstain, or a declared "
                                  "conflict of interest)."))
    if any(choice not in VoteChoice.values for choice in votes.values()):
        raise _invalid("votes", _("A vote is for, against, abstain or recused."))
    recused = {member_id for member_id, choice in votes.items() if choice == VoteChoice.RECUSED}
    if any(not conflicts.get(member_id) for member_id in recused):
        raise _invalid("conflicts", _("A member who does not vote because of a conflict of interest declares it."))
    serving, voting = len(attendance), len(present - recused)
    if not quorum_met(committee.quorum_rule, serving=serving, present=voting):
        raise Conflict(_("No quorum: %(present)s of %(serving)s serving members take part, %(needed)s are needed.")
                       % {"present": voting, "serving": serving,
                          "needed": quorum_needed(committee.quorum_rule, serving)})
    counts = {choice: sum(1 for value in votes.values() if value == choice) for choice in VoteChoice.values}
    if chair_casts is not None:
        chair_here = meeting.attendance.filter(present=True, member__position=CommitteePosition.CHAIR).exclude(
            member_id__in=recused).exists()
        if chair_casts not in ("for", "against") or not chair_here or counts["for"] != counts["against"]:
            raise _invalid("chair_casts", _("The chair, present and voting, casts a deciding vote on a tie only."))
    outcome = resolution_outcome(committee.majority_rule, in_favour=counts["for"], against=counts["against"],
                                 present=voting, chair_casts=chair_casts)
    resolution = Resolution.objects.create(
        meeting=meeting, case=case, motion=motion, adopted=outcome.adopted, casting_vote=outcome.casting_vote,
        in_favour=counts["for"], against=counts["against"], abstain=counts["abstain"], recused=counts["recused"],
        recorded_by=actor, recorded_at=now)
    Vote.objects.bulk_create([Vote(resolution=resolution, member_id=member_id, choice=choice,
                                   conflict=conflicts.get(member_id, "") if choice == VoteChoice.RECUSED else "")
                              for member_id, choice in sorted(votes.items())])
    config_log(actor=actor, instance=resolution, action="create", before=None,
               after={"meeting": meeting.pk, "case": case.tracking_number, "motion": motion, "votes": {
                   str(member_id): choice for member_id, choice in sorted(votes.items())},
                   "adopted": outcome.adopted, "casting_vote": outcome.casting_vote})
    return resolution


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(str(message), fields={field: [str(message)]})


def committees_for(user) -> list[Committee]:
    """The active committees the reader manages (the director, administrators: all) or serves on."""
    committees = Committee.objects.filter(active=True)
    if not may_manage_committees(user):
        today = timezone.localdate()
        serving = CommitteeMember.objects.filter(user=user, term_start__lte=today).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=today))
        committees = committees.filter(pk__in=serving.values("committee_id"))
    return list(committees)
