"""Reads of cases, each respecting who is asking (core.access)."""

from django.db.models import QuerySet

from core.access import visible_cases_q
from core.choices import ActorKind, Status, Visibility
from core.errors import NotFound
from core.models import Case, CaseEvent
from core.tracking import tracking_number_parse

NOT_FOUND_MESSAGE = "No case has this tracking number."


def _canonical_or_404(tracking: str) -> str:
    canonical = tracking_number_parse(tracking)
    if canonical is None:
        # Malformed and unknown numbers get the same answer: nothing to learn from the difference.
        raise NotFound(NOT_FOUND_MESSAGE)
    return canonical


def case_get_public(*, tracking: str) -> Case:
    canonical = _canonical_or_404(tracking)
    try:
        return Case.objects.select_related("unit").get(tracking_number=canonical)
    except Case.DoesNotExist:
        raise NotFound(NOT_FOUND_MESSAGE) from None


# What the public status answer shows, and no more: the hottest public read need not decode the
# description, the search text or the encrypted contact.
PUBLIC_STATUS_COLUMNS = ("id", "tracking_number", "kind", "status", "sealed", "submitted_at", "updated_at",
                         "resolve_due_at", "unit__name_th", "unit__name_en")


def case_get_public_status(*, tracking: str) -> Case:
    """The case for the public status answer, with only the columns that answer uses."""
    canonical = _canonical_or_404(tracking)
    try:
        return Case.objects.select_related("unit").only(*PUBLIC_STATUS_COLUMNS).get(tracking_number=canonical)
    except Case.DoesNotExist:
        raise NotFound(NOT_FOUND_MESSAGE) from None


def case_get_for_update(*, tracking: str, user=None) -> Case:
    """The case row, locked until the transaction ends. With ``user``: only if they may see it."""
    canonical = _canonical_or_404(tracking)
    cases = Case.objects.select_for_update(of=("self",))
    if user is not None:
        cases = cases.filter(visible_cases_q(user))
    try:
        return cases.get(tracking_number=canonical)
    except Case.DoesNotExist:
        raise NotFound(NOT_FOUND_MESSAGE) from None


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.filter(visible_cases_q(user))


def case_get_visible(*, tracking: str, user) -> Case:
    canonical = _canonical_or_404(tracking)
    try:
        return cases_visible_to(user).select_related("category", "unit", "assignee").get(tracking_number=canonical)
    except Case.DoesNotExist:
        raise NotFound(NOT_FOUND_MESSAGE) from None


# A sealed report's outcome is not told before its conclusion: dismissal and referral for
# inquiry show as fact-finding until the integrity unit concludes and releases its summary.
SEALED_PUBLIC_STATUS = {Status.DISMISSED: Status.FACT_FINDING, Status.REFERRED_FOR_INQUIRY: Status.FACT_FINDING}


def public_status(case: Case, status: str) -> str:
    return SEALED_PUBLIC_STATUS.get(status, status) if case.sealed else status


def case_public_timeline(case: Case) -> list[dict]:
    """Status changes only: what happened and when, nothing internal."""
    timeline: list[dict] = []
    for at, to_status in case.events.exclude(to_status="").order_by("seq").values_list("at", "to_status"):
        status = public_status(case, to_status)
        if not timeline or timeline[-1]["status"] != status:
            timeline.append({"at": at, "status": status})
    return timeline


def case_citizen_messages(case: Case) -> list[CaseEvent]:
    """The conversation the citizen may read: our public messages and the citizen's own.

    The requester of a duplicate also reads what the office said on the case it was merged into.
    """
    events = list(case.events.filter(visibility=Visibility.PUBLIC).order_by("seq"))
    if case.duplicate_of_id:
        kept = CaseEvent.objects.filter(case_id=case.duplicate_of_id, visibility=Visibility.PUBLIC)
        events += list(kept.exclude(actor_kind=ActorKind.CITIZEN).order_by("seq"))
        events.sort(key=lambda event: event.at)
    return [event for event in events if event.data.get("message")]


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("seq")
