"""The staff queues: which visible cases belong in each."""

from django.db.models import Q, QuerySet

from core.access import staff_profile
from core.choices import FINAL_STATUSES
from core.models import Case
from core.selectors import cases_visible_to


def cases_for_queue(*, user, queue: str, filters: dict[str, str]) -> QuerySet[Case]:
    cases = cases_visible_to(user).select_related("category", "unit", "assignee")
    if queue == "mine":
        cases = cases.filter(assignee=user)
    elif queue == "unit":
        cases = cases.filter(unit_id__in=staff_profile(user).unit_ids)
    elif queue == "unassigned":
        cases = cases.filter(assignee__isnull=True).exclude(status__in=FINAL_STATUSES)
    lookups = {"kind": "kind", "status": "status", "category": "category__code", "channel": "channel"}
    conditions = Q(**{lookups[name]: value for name, value in filters.items() if name in lookups and value})
    return cases.filter(conditions)
