"""Turning a transition's validated API parameters into what the transition method takes.

The API has already checked shapes and types; this checks them against the database
(does the unit exist, is the assignee a member, is the duplicate visible) before the
transition runs, because django-fsm transitions do no I/O.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import can_see_case
from core.choices import Status
from core.errors import ValidationFailed
from core.lookups import unit_active, user_active
from core.models import Agency, Case, Committee, Membership, Resolution, WaitingReason
from core.tracking import tracking_number_parse


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _resolve_assign(case: Case, params: dict[str, Any], actor) -> dict[str, Any]:
    unit_code, username = params.get("unit"), params.get("assignee")
    if not unit_code and not username:
        raise ValidationFailed(_("Name a unit, an assignee, or both."), fields={"unit": [_("Name a unit or an assignee.")]})
    unit = unit_active(unit_code) if unit_code else None
    assignee = None
    if username:
        assignee = user_active(username)
        memberships = Membership.objects.filter(user=assignee, unit__active=True).select_related("unit")
        if unit is None:
            # Prefer the unit the case is already in; otherwise the assignee's only (first) unit.
            units = [m.unit for m in memberships]
            unit = next((u for u in units if u.pk == case.unit_id), units[0] if units else None)
            if unit is None:
                raise _invalid("assignee", _("'%(user)s' belongs to no unit.") % {"user": username})
        elif not memberships.filter(unit=unit).exists():
            raise _invalid("assignee", _("'%(user)s' is not a member of unit '%(unit)s'.") % {"user": username,
                                                                                           "unit": unit.code})
    if case.sealed and not unit.is_integrity:
        raise _invalid("unit", _("A corruption report can go only to the integrity unit."))
    return {"unit": unit, "assignee": assignee}


def _resolve_merge(case: Case, params: dict[str, Any], actor) -> dict[str, Any]:
    canonical = tracking_number_parse(params["duplicate_of"])
    kept = Case.objects.filter(tracking_number=canonical).first() if canonical else None
    if kept is None or (actor is not None and not can_see_case(actor, kept)):
        raise _invalid("duplicate_of", _("No case you can see has this tracking number."))
    if kept.pk == case.pk:
        raise _invalid("duplicate_of", _("A case cannot be merged into itself."))
    if kept.kind != case.kind:
        raise _invalid("duplicate_of", _("Cases of different kinds cannot be merged."))
    if kept.status in (Status.MERGED, Status.CLOSED):
        raise _invalid("duplicate_of", _("The case to keep is itself merged or closed; choose an open case."))
    return {"duplicate_of": kept}


def _resolve_refer(case: Case, params: dict[str, Any], actor) -> dict[str, Any]:
    agency = Agency.objects.filter(code=params["agency"], active=True).first()
    if agency is None:
        raise _invalid("agency", _("No active agency has this code (see the agencies configured in the admin API)."))
    if case.sealed and not agency.handles_corruption:
        raise _invalid("agency", _("A corruption report can be referred only to an agency that investigates "
                                   "corruption."))
    letter_date = params["letter_date"]
    if letter_date > timezone.localdate():
        raise _invalid("letter_date", _("The letter's date cannot be in the future."))
    return {"agency": agency, "letter_number": params["letter_number"], "letter_date": letter_date}


def _resolve_hold(case: Case, params: dict[str, Any], actor) -> dict[str, Any]:
    reason = WaitingReason.objects.filter(code=params["waiting_reason"], active=True).first()
    if reason is None:
        raise _invalid("waiting_reason", _("No active waiting reason has this code."))
    return {"waiting_reason": reason, "note": params.get("note", "")}


def _resolve_decide(case: Case, params: dict[str, Any], actor) -> dict[str, Any]:
    resolution = Resolution.objects.filter(pk=params["resolution"], case=case).select_related("meeting").first()
    # The decision is the deciding committee's: a resolution another committee recorded about the item does not count.
    if resolution is None or (case.committee_id and resolution.meeting.committee_id != case.committee_id):
        raise _invalid("resolution", _("No resolution about this item has this number: record the committee's "
                                       "vote at its meeting first."))
    return {"decision": params["decision"], "resolution": resolution}


def _resolve_open_consultation(case: Case, params: dict[str, Any], actor) -> dict[str, Any]:
    committee = Committee.objects.filter(code=params.get("committee") or "", active=True).first()
    if committee is None:
        raise _invalid("committee", _("Choose the active committee that decides this item."))
    opens_at, closes_at = params["opens_at"], params["closes_at"]
    if closes_at <= opens_at:
        raise _invalid("closes_at", _("The consultation must close after it opens."))
    if closes_at <= timezone.now():
        raise _invalid("closes_at", _("The consultation must close in the future."))
    return {"opens_at": opens_at, "closes_at": closes_at, "committee": committee,
            "decision_days": params.get("decision_days") or DEFAULT_DECISION_DAYS}


# Business days a committee has to decide once the consultation closes, unless the item says otherwise.
DEFAULT_DECISION_DAYS = 30

RESOLVERS = {
    "assign": _resolve_assign,
    "open_consultation": _resolve_open_consultation,
    "decide": _resolve_decide,
    "merge": _resolve_merge,
    "refer": _resolve_refer,
    "hold": _resolve_hold,
}


def transition_params_resolve(*, case: Case, name: str, params: dict[str, Any], actor) -> dict[str, Any]:
    resolver = RESOLVERS.get(name)
    return resolver(case, params, actor) if resolver else dict(params)
