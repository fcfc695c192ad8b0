"""Routing a new case to a unit and, by the unit's strategy, to an officer (DESIGN §5).

``case_route`` is idempotent: it acts only on a case still ``submitted`` and moves it with the
ordinary ``assign`` transition, so routing the same case twice (a redelivered task, the sweep
and the fast path racing) changes nothing the second time.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from core.choices import ActorKind, Kind, Status
from core.lookups import integrity_unit, priority_weight
from core.models import Case, Membership, RoutingRule, Unit
from core.models.org import AssignmentStrategy
from workflows.transitions import case_transition

logger = logging.getLogger(__name__)

ROUTABLE_KINDS = (Kind.COMPLAINT, Kind.SUGGESTION, Kind.CORRUPTION)
ROUTING_RETRY_AFTER = timedelta(hours=1)


def routing_unit_for(case: Case) -> Unit | None:
    """Corruption reports: the integrity unit only. Otherwise the first matching rule, else the fallback unit."""
    if case.kind == Kind.CORRUPTION:
        return integrity_unit()
    text = f"{case.title}\n{case.description}".casefold()
    for rule in RoutingRule.objects.filter(active=True, unit__active=True).select_related("unit"):
        if rule.kind and rule.kind != case.kind:
            continue
        if rule.category_id and rule.category_id != case.category_id:
            continue
        if rule.channel and rule.channel != case.channel:
            continue
        keywords = rule.keyword_list()
        if keywords and not any(word in text for word in keywords):
            continue
        return rule.unit
    return Unit.objects.filter(receives_unrouted=True, active=True, is_integrity=False).order_by("pk").first()


def _candidates(unit: Unit) -> list[int]:
    """Officers who take cases: the unit's members who are not its heads (the heads, if that is everyone)."""
    members = Membership.objects.filter(unit=unit, user__is_active=True)
    officers = list(members.filter(is_head=False).order_by("user_id").values_list("user_id", flat=True))
    return officers or list(members.order_by("user_id").values_list("user_id", flat=True))


def _least_loaded(candidates: list[int]) -> int:
    loads = dict(
        Case.objects.filter(assignee_id__in=candidates, closed_at__isnull=True, responded_at__isnull=True)
        .values("assignee_id")
        .annotate(load=Sum(priority_weight()))
        .values_list("assignee_id", "load")
    )
    return min(candidates, key=lambda user_id: (loads.get(user_id, 0), user_id))


def _round_robin(unit: Unit, candidates: list[int]) -> int:
    after = [user_id for user_id in candidates if unit.last_assignee_id is None or user_id > unit.last_assignee_id]
    return (after or candidates)[0]


def choose_assignee(unit: Unit) -> int | None:
    """The officer who gets the case, by the unit's strategy; None for the unit queue (manual)."""
    if unit.strategy == AssignmentStrategy.MANUAL:
        return None
    candidates = _candidates(unit)
    if not candidates:
        return None
    if unit.strategy == AssignmentStrategy.LEAST_LOADED:
        return _least_loaded(candidates)
    chosen = _round_robin(unit, candidates)
    unit.last_assignee_id = chosen
    unit.save(update_fields=["last_assignee_id"])
    return chosen


@transaction.atomic
def case_route(*, case_id: int) -> bool:
    """Route one case if it still needs it. True if this call assigned it."""
    case = Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None or case.status != Status.SUBMITTED or case.kind not in ROUTABLE_KINDS:
        return False
    # Marks the attempt: the sweep retries a case no unit would take only hourly, not every minute.
    case.routed_at = timezone.now()
    case.save(update_fields=["routed_at"])
    unit = routing_unit_for(case)
    if unit is None:
        logger.warning("no routing rule or fallback unit for %s; it waits in the unassigned queue", case)
        return False
    # The unit row lock serialises concurrent routings into one unit, so round robin and
    # least-loaded never hand two simultaneous cases to the same officer by accident.
    unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    assignee_id = choose_assignee(unit)
    params = {"unit": unit.code}
    if assignee_id is not None:
        params["assignee"] = get_user_model().objects.values_list("username", flat=True).get(pk=assignee_id)
    case_transition(tracking=case.tracking_number, name="assign", origin=ActorKind.SYSTEM, params=params)
    return True


def cases_unrouted(*, now: datetime, limit: int) -> list[int]:
    """Cases the fast path should have routed by now (lost message, broker down, worker killed)."""
    cutoff = now - timedelta(seconds=settings.ROUTING_GRACE_SECONDS)
    never_tried = Q(routed_at__isnull=True, submitted_at__lte=cutoff)
    tried_long_ago = Q(routed_at__lte=now - ROUTING_RETRY_AFTER)  # e.g. no unit matched before the rules changed
    return list(
        Case.objects.filter(never_tried | tried_long_ago, status=Status.SUBMITTED, kind__in=ROUTABLE_KINDS)
        .order_by(F("routed_at").asc(nulls_first=True), "submitted_at")
        .values_list("pk", flat=True)[:limit]
    )


def route_unrouted(*, now: datetime, limit: int) -> int:
    """The sweep: route what the fast path missed; one case that fails does not stop the others."""
    ids = cases_unrouted(now=now, limit=limit)
    for case_id in ids:
        try:
            case_route(case_id=case_id)
        except Exception:  # noqa: BLE001 - logged; the case is retried on the next sweep
            logger.exception("routing case %s failed", case_id)
    return len(ids)
