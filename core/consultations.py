"""What the public reads of participation (docs/participation.md): the consultations, one item's page, the "you
said, we did" board and an opinion's status; and the participation evidence of a period. Hidden opinions are never
read here except as a count."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from core.choices import Kind, Status, Visibility
from core.errors import NotFound
from core.models import (
    Attachment,
    Attendance,
    Case,
    CaseEvent,
    CommitteeMember,
    ConsultationQuestion,
    Milestone,
    Opinion,
    OpinionTheme,
    Resolution,
)
from core.periods import Period
from core.tracking import tracking_number_parse

# A co-decision item is public once its consultation opens; a draft is the office's own.
PUBLIC_ITEM = Q(kind=Kind.CODECISION, sealed=False) & ~Q(status=Status.DRAFT)
# Phases after the consultation, in order, as the item's page shows its progress.
PHASES = [Status.CONSULTATION, Status.DELIBERATION, Status.DECIDED, Status.IMPLEMENTING, Status.COMPLETED]
PUBLIC_OPINIONS_SHOWN = 200


def consultations_public(*, now: datetime | None = None) -> tuple[list[Case], list[Case]]:
    """(open now, past): the items whose consultation is open, and the others the public has seen, newest first."""
    now = now or timezone.now()
    items = list(Case.objects.filter(PUBLIC_ITEM).select_related("committee").annotate(
        opinion_count=Count("opinions", filter=Q(opinions__hidden_at__isnull=True))).order_by(
        "-consultation_opens_at", "-pk")[:500])
    is_open = [item for item in items if item.status == Status.CONSULTATION and item.consultation_closes_at
               and item.consultation_closes_at > now]
    return is_open, [item for item in items if item not in is_open]


@dataclass
class ThemeView:
    theme: OpinionTheme
    count: int


@dataclass
class ItemView:
    """One item's public page."""

    case: Case
    questions: list[ConsultationQuestion]
    documents: list[Attachment]
    opinions: list[Opinion]  # shown: never a hidden one
    stances: dict[str, int]  # of the opinions shown
    received: int  # every opinion received, hidden ones included
    themes: list[ThemeView]
    decision: str
    resolution: Resolution | None
    milestones: list[Milestone]
    progress: int  # percent, the milestones' average
    timeline: list[tuple[datetime, str, str]] = field(default_factory=list)  # (when, type, public message)


def item_public(tracking: str) -> ItemView:
    canonical = tracking_number_parse(tracking)
    case = Case.objects.filter(PUBLIC_ITEM, tracking_number=canonical or "-").select_related("committee").first()
    if case is None:
        raise NotFound("No consultation has this number.")
    opinions = list(case.opinions.filter(hidden_at__isnull=True).select_related("group").order_by("-submitted_at")[
        :PUBLIC_OPINIONS_SHOWN])
    counts = case.opinions.aggregate(received=Count("pk"), **{
        stance: Count("pk", filter=Q(stance=stance, hidden_at__isnull=True)) for stance in ("support", "oppose",
                                                                                              "neutral")})
    received = counts.pop("received")
    themes = [ThemeView(theme, theme.shown) for theme in case.opinion_themes.annotate(
        shown=Count("opinions", filter=Q(opinions__hidden_at__isnull=True)))]
    events = list(CaseEvent.objects.filter(case=case, visibility=Visibility.PUBLIC).order_by("seq").only(
        "at", "type", "data", "to_status"))
    decided = [event for event in events if event.type == "decide"]
    resolution = None
    if decided and (resolution_id := decided[-1].data.get("params", {}).get("resolution")):
        resolution = Resolution.objects.filter(pk=resolution_id).select_related("meeting").first()
    milestones = list(case.milestones.all())
    progress = round(sum(m.percent for m in milestones) / len(milestones)) if milestones else 0
    return ItemView(
        case=case, questions=list(case.consultation_questions.all()),
        documents=list(case.attachments.filter(public=True)), opinions=opinions, stances=counts, received=received,
        themes=themes, decision=decided[-1].data.get("message", "") if decided else "", resolution=resolution,
        milestones=milestones, progress=progress,
        timeline=[(event.at, event.type, event.data.get("message", "")) for event in events])


def public_document(tracking: str, attachment_id: int) -> Attachment:
    canonical = tracking_number_parse(tracking)
    document = Attachment.objects.filter(pk=attachment_id, public=True, case__tracking_number=canonical or "-").filter(
        case__in=Case.objects.filter(PUBLIC_ITEM)).first()
    if document is None:
        raise NotFound("No such document.")
    return document


@dataclass
class BoardEntry:
    """A line of "you said, we did": what was asked or decided, what the office did, how far it has got."""

    case: Case
    topic: str
    outcome: str  # the decision, or the office's answer to the suggestion
    decided_at: datetime
    milestones: list[Milestone]
    progress: int


def board_entries(*, limit: int = 100) -> list[BoardEntry]:
    """Decided co-decision items and adopted suggestions, newest decision first."""
    events = (CaseEvent.objects.filter(type__in=["decide", "adopt"], case__sealed=False)
              .select_related("case__category").order_by("-at")[:limit])
    latest: dict[int, CaseEvent] = {}
    for event in events:
        latest.setdefault(event.case_id, event)
    milestones: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(case_id__in=latest):
        milestones.setdefault(milestone.case_id, []).append(milestone)
    entries = []
    for case_id, event in latest.items():
        case = event.case
        if case.status in (Status.WITHDRAWN,):
            continue
        steps = milestones.get(case_id, [])
        # A suggestion's title is the citizen's own words, which may name people: the board names its topic.
        topic = case.title if case.kind == Kind.CODECISION else (case.category.name if case.category_id else "")
        entries.append(BoardEntry(case=case, topic=topic, outcome=event.data.get("message", ""), decided_at=event.at,
                                  milestones=steps,
                                  progress=round(sum(m.percent for m in steps) / len(steps)) if steps else 0))
    return entries


def opinion_public(number: str) -> Opinion:
    """An opinion's status for whoever holds its number: its item, whether it is shown, its theme and answer."""
    canonical = tracking_number_parse(number)
    opinion = Opinion.objects.filter(tracking_number=canonical or "-").select_related("case", "theme").first()
    if opinion is None:
        raise NotFound("No opinion has this number.")
    return opinion


@dataclass
class ActivityEvidence:
    """ITA's four components of one participation activity (a co-decision item) from what is recorded."""

    case: Case
    topic: str
    opinions_by_group: dict[str, int]  # group name (or "") -> opinions received
    attendees: int  # committee members present at the meetings that voted on it
    members_by_group: dict[str, int]  # the committee's serving members by group
    results: str  # the decision, and the themes answered
    resolution: Resolution | None  # the committee's vote behind the decision
    use: str  # what was done: the status and the milestones


def participation_evidence(period: Period) -> list[ActivityEvidence]:
    """Every co-decision item whose consultation opened in ``period``, with its four ITA components."""
    items = list(Case.objects.filter(PUBLIC_ITEM, consultation_opens_at__gte=period.start,
                                     consultation_opens_at__lt=period.end).select_related("committee")
                 .order_by("consultation_opens_at"))
    by_group = Counter()
    for case_id, name, count in (Opinion.objects.filter(case__in=items).values("case", "group__name_th")
                                 .annotate(n=Count("pk")).values_list("case", "group__name_th", "n")):
        by_group[(case_id, name or "")] += count
    attendees = dict(Attendance.objects.filter(present=True, meeting__resolutions__case__in=items)
                     .values("meeting__resolutions__case").annotate(n=Count("member", distinct=True))
                     .values_list("meeting__resolutions__case", "n"))
    evidence = []
    for case in items:
        view = item_public(case.tracking_number)
        members = Counter()
        if case.committee_id:
            day = timezone.localdate(case.consultation_opens_at)
            for member in CommitteeMember.objects.filter(committee_id=case.committee_id).select_related("group"):
                if member.serves_on(day):
                    members[member.group.name_th if member.group_id else ""] += 1
        answered = [theme.theme.title for theme in view.themes if theme.theme.answer]
        evidence.append(ActivityEvidence(
            case=case, topic=case.title,
            opinions_by_group={name: count for (case_id, name), count in by_group.items() if case_id == case.pk},
            attendees=attendees.get(case.pk, 0), members_by_group=dict(members),
            results="\n".join(filter(None, [view.decision, *answered])), resolution=view.resolution,
            use="\n".join([str(Status(case.status).label), *(f"{m.title} ({m.percent}%)" for m in view.milestones)])))
    return evidence
