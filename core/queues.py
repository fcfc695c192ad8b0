"""The staff queues: which visible cases belong in each."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.access import staff_profile
from core.choices import FINAL_STATUSES
from core.models import Case
from core.search import search_q
from core.selectors import cases_visible_to

QUEUES = ("mine", "unit", "unassigned", "overdue", "at_risk", "escalated", "all")


def _queue_q(user, queue: str) -> Q:
    now = timezone.now()
    if queue == "mine":
        return Q(assignee=user)
    if queue == "unit":
        return Q(unit_id__in=staff_profile(user).unit_ids)
    if queue == "unassigned":
        return Q(assignee__isnull=True) & ~Q(status__in=FINAL_STATUSES)
    if queue == "overdue":
        return Q(sla_due_at__lt=now)
    if queue == "at_risk":
        return Q(sla_warn_at__lte=now, sla_due_at__gte=now)
    if queue == "escalated":
        return escalated_to_q(user)
    return Q()


def escalated_to_q(user) -> Q:
    """Cases escalated to this user: level 1 to the unit's heads, level 2 and 3 to the director."""
    profile = staff_profile(user)
    to_me = Q(escalation_level=1, unit_id__in=profile.head_unit_ids)
    if profile.is_director:
        to_me |= Q(escalation_level__gte=2)
    return to_me & Q(closed_at__isnull=True)


def cases_for_queue(*, user, queue: str, filters: dict[str, str]) -> QuerySet[Case]:
    cases = cases_visible_to(user).filter(_queue_q(user, queue)).select_related("category", "unit", "assignee")
    lookups = {
        "kind": "kind", "status": "status", "category": "category__code", "channel": "channel",
        "priority": "priority", "unit": "unit__code", "assignee": "assignee__username",
        "submitted_after": "submitted_at__gte", "submitted_before": "submitted_at__lt",
        "due_after": "sla_due_at__gte", "due_before": "sla_due_at__lt",
    }
    conditions = Q(**{lookups[name]: value for name, value in filters.items() if name in lookups and value})
    if filters.get("q"):
        conditions &= search_q(filters["q"])
    return cases.filter(conditions)


def queue_counts(*, user) -> dict[str, int]:
    """How many visible cases each queue holds, for the badges: one query."""
    return cases_visible_to(user).aggregate(**{queue: Count("pk", filter=_queue_q(user, queue)) for queue in QUEUES})
