"""The staff queues: which visible cases belong in each."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.access import staff_profile
from core.choices import FINAL_STATUSES
from core.models import Case
from core.models.case import NO_DEADLINE, case_due_key
from core.search import search_is_exact, search_q
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
    # Overdue and at-risk are stated on due_key, the queues' sort key (sla_due_at, or NO_DEADLINE when
    # no clock runs), so that each is a range of the (due_key, id) index read in order, not a filter.
    # sla_warn_at is set exactly when sla_due_at is (both come from the running clocks).
    if queue == "overdue":
        return Q(due_key__lt=now)
    if queue == "at_risk":
        return Q(due_key__gte=now, due_key__lt=NO_DEADLINE, sla_warn_at__lte=now)
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


def queue_and_search(*, user, queue: str, filters: dict[str, str]) -> tuple[QuerySet[Case], Q | None]:
    """The queue's cases without the text search, and the text search apart (None if there is none).

    Kept apart so that a page of results can be found in bounded work (core.keyset): a substring
    search and the queue's order pull towards different indexes. A tracking number is no text search:
    it stays in the queryset as an exact lookup.
    """
    cases = (cases_visible_to(user).annotate(due_key=case_due_key()).filter(_queue_q(user, queue))
             .select_related("category", "unit", "assignee"))
    lookups = {
        "kind": "kind", "status": "status", "category": "category__code", "channel": "channel",
        "priority": "priority", "unit": "unit__code", "assignee": "assignee__username", "school": "school__code",
        "submitted_after": "submitted_at__gte", "submitted_before": "submitted_at__lt",
        "due_after": "sla_due_at__gte", "due_before": "sla_due_at__lt",
    }
    conditions = Q(**{lookups[name]: value for name, value in filters.items() if name in lookups and value})
    cases = cases.filter(conditions)
    if not filters.get("q"):
        return cases, None
    text = search_q(filters["q"])
    if search_is_exact(text):
        return cases.filter(text), None
    return cases, text


def queue_counts(*, user) -> dict[str, int]:
    """How many visible cases each queue holds, for the badges: one query."""
    cases = cases_visible_to(user).alias(due_key=case_due_key())
    return cases.aggregate(**{queue: Count("pk", filter=_queue_q(user, queue)) for queue in QUEUES})


def queue_counts_recent(*, user) -> dict[str, int]:
    """``queue_counts`` as of at most ``QUEUE_COUNTS_SECONDS`` ago (the shared cache): the workspace shows them on
    every queue page and polls them from every page, and counting a unit's whole history each time would cost
    more than the page. Without the cache, they are counted."""
    key = f"queue_counts:{user.pk}"
    try:
        counts = cache.get(key)
    except Exception:  # noqa: BLE001 - any cache failure: count instead
        return queue_counts(user=user)
    if counts is None:
        counts = queue_counts(user=user)
        try:
            cache.set(key, counts, settings.QUEUE_COUNTS_SECONDS)
        except Exception:  # noqa: BLE001
            pass
    return counts
