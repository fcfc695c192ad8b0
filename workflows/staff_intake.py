"""Staff recording a case for a citizen (phone, walk-in, letter...) or opening a co-decision item."""

from typing import Any

from core.access import staff_profile
from core.choices import Kind, Role
from core.errors import PermissionDenied, ValidationFailed
from core.models import Agency, Unit
from workflows.intake import Receipt, case_submit

INTAKE_ROLES = {Role.CLERK, Role.DIRECTOR, Role.ADMIN}


def staff_case_submit(*, actor, kind: str, unit: str | None = None, **fields: Any) -> Receipt:
    profile = staff_profile(actor)
    if not (profile.unit_ids or profile.roles & INTAKE_ROLES):
        raise PermissionDenied("Only office staff can record cases.")
    if kind == Kind.CODECISION:
        unit = _codecision_unit(profile, unit)
    receipt = case_submit(
        kind=kind,
        title=fields["title"],
        description=fields["description"],
        channel=fields["channel"],
        category_code=fields.get("category"),
        anonymous=fields.get("anonymous", False),
        contact=fields.get("contact"),
        language=fields.get("language", "th"),
        priority=fields.get("priority", "normal"),
        recorded_by=actor,
        unit_code=unit,
        received_from=_agency(fields.get("received_from")),
        received_letter_number=fields.get("received_letter_number", ""),
        received_letter_date=fields.get("received_letter_date"),
        school_code=fields.get("school"),
    )
    if receipt.case.sealed:
        # Whoever holds the key reads the sealed conversation: not the clerk who took the call. The integrity
        # unit issues the reporter's key (staff_work.case_access_key_issue); the key made here is never shown.
        return Receipt(case=receipt.case, access_key=None)
    return receipt


def _agency(code: str | None) -> Agency | None:
    """The agency a case came from (the Damrongdham centre, 1111...), by its configured code."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code, active=True).first()
    if agency is None:
        message = "No active agency has this code."
        raise ValidationFailed(message, fields={"received_from": [message]})
    return agency


def _codecision_unit(profile, unit_code: str | None) -> str:
    """Co-decision items are opened by a unit head (for their unit) or the director (for any unit)."""
    if not (profile.is_head or profile.is_director or Role.ADMIN in profile.roles):
        raise PermissionDenied("Only unit heads and the director open co-decision items.")
    if unit_code is None:
        head_units = Unit.objects.filter(pk__in=profile.head_unit_ids).order_by("code")
        first = head_units.first()
        if first is None:
            raise ValidationFailed("Name the unit that owns this item.", fields={"unit": ["This field is required."]})
        return first.code
    unit = Unit.objects.filter(code=unit_code, active=True).first()
    if unit is not None and not (profile.is_director or Role.ADMIN in profile.roles) and unit.pk not in profile.head_unit_ids:
        raise PermissionDenied("You can open co-decision items only for a unit you head.")
    return unit_code
