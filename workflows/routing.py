"""Routing a new case to a unit and, by the unit's strategy, to an officer (docs/design.md, "Routing").

``case_route`` is idempotent: it acts only on a case still ``submitted`` and moves it with the
ordinary ``assign`` transition, so routing the same case twice (a redelivered task, the sweep
and the fast path racing) changes nothing the second time.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from core.choices import ActorKind, Kind, Status
from core.config_cache import ConfigSnapshot, config_snapshot
from core.lookups import priority_weight
from core.models import Case, Unit
from core.models.org import AssignmentStrategy
from workflows.transitions import case_transition_locked

logger = logging.getLogger(__name__)

ROUTABLE_KINDS = (Kind.COMPLAINT, Kind.SUGGESTION, Kind.CORRUPTION)
ROUTING_RETRY_AFTER = timedelta(hours=1)


def routing_unit_for(case: Case, config: ConfigSnapshot | None = None) -> Unit | None:
    """Corruption reports: the integrity unit only. Otherwise the first matching rule, else the fallback unit."""
    config = config or config_snapshot()
    if case.kind == Kind.CORRUPTION:
        return config.integrity_unit
    text = f"{case.title}\n{case.description}".casefold()
    for rule in config.routing_rules:
        if rule.kind and rule.kind != case.kind:
            continue
        if rule.category_id and rule.category_id != case.category_id:
            continue
        if rule.channel and rule.channel != case.channel:
            continue
        if rule.school_id and rule.school_id != case.school_id:
            continue
        if rule.district and (case.school_id is None or case.school.district != rule.district):
            continue
        keywords = rule.keyword_list()
        if keywords and not any(word in text for word in keywords):
            continue
        return rule.unit
    return config.fallback_unit


def _candidates(unit: Unit) -> list[AbstractBaseUser]:
    """Officers who take cases: the unit's active members who are not its heads (the heads, if that is
    everyone). One query, users with only what routing and the assignment notice read."""
    members = list(
        get_user_model().objects.filter(memberships__unit=unit, is_active=True)
        .annotate(unit_head=F("memberships__is_head")).only("id", "username", "email").order_by("id")
    )
    return [user for user in members if not user.unit_head] or members


def _least_loaded(candidates: list[AbstractBaseUser]) -> AbstractBaseUser:
    loads = dict(
        Case.objects.filter(assignee_id__in=[user.pk for user in candidates], closed_at__isnull=True,
                            responded_at__isnull=True)
        .values("assignee_id")
        .annotate(load=Sum(priority_weight()))
        .values_list("assignee_id", "load")
    )
    return min(candidates, key=lambda user: (loads.get(user.pk, 0), user.pk))


def _round_robin(unit: Unit, candidates: list[AbstractBaseUser]) -> AbstractBaseUser:
    after = [user for user in candidates if unit.last_assignee_id is None or user.pk > unit.last_assignee_id]
    return (after or candidates)[0]


def choose_assignee(unit: Unit) -> AbstractBaseUser | None:
    """The officer (a user) who gets the case, by the unit's strategy; None for the unit queue (manual).
    Call with the unit row locked."""
    if unit.strategy == AssignmentStrategy.MANUAL:
        return None
    candidates = _candidates(unit)
    if not candidates:
        return None
    if unit.strategy == AssignmentStrategy.LEAST_LOADED:
        return _least_loaded(candidates)
    chosen = _round_robin(unit, candidates)
    unit.last_assignee_id = chosen.pk
    unit.save(update_fields=["last_assignee_id"])
    return chosen


@transaction.atomic
def case_route(*, case_id: int) -> bool:
    """Route one case if it still needs it. True if this call assigned it."""
    case = next(iter(Case.objects.select_for_update(of=("self",)).filter(pk=case_id)), None)  # no ORDER BY to build
    if case is None or case.status != Status.SUBMITTED or case.kind not in ROUTABLE_KINDS:
        return False
    unit = routing_unit_for(case)
    # The unit row lock serialises concurrent routings into one unit, so round robin and
    # least-loaded never hand two simultaneous cases to the same officer by accident.
    unit = Unit.objects.select_for_update(of=("self",)).filter(pk=unit.pk, active=True).first() if unit else None
    if unit is None:
        # Marks the attempt: the sweep retries a case no unit would take only hourly, not every minute.
        # (An assigned case leaves ``submitted``, which is all the sweep looks at.)
        case.routed_at = timezone.now()
        case.save(update_fields=["routed_at"])
        logger.warning("no routing rule or fallback unit for %s; it waits in the unassigned queue", case)
        return False
    assignee = choose_assignee(unit)
    params = {"unit": unit.code}
    if assignee is not None:
        params["assignee"] = assignee.username
    # The unit and the assignee were read and checked here under the locks (an active unit; an active
    # member of it; the integrity unit for a sealed report), so the transition takes them as they are.
    case_transition_locked(case, name="assign", origin=ActorKind.SYSTEM, params=params,
                           resolved={"unit": unit, "assignee": assignee})
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
