"""Looking up configuration by the names people type, with the error a person can act on."""

from django.contrib.auth import get_user_model
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Value, When
from django.utils.translation import gettext as _

from core.choices import Priority
from core.errors import ValidationFailed
from core.models import Unit

# How much an open case weighs in an officer's load (routing's least-loaded, the supervisor's workload).
PRIORITY_WEIGHT = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 3, Priority.URGENT: 5}


def priority_weight() -> SqlCase:
    """A SQL expression: the weight of a case row's priority."""
    return SqlCase(*[When(priority=p, then=Value(w)) for p, w in PRIORITY_WEIGHT.items()],
                   default=Value(PRIORITY_WEIGHT[Priority.NORMAL]), output_field=IntegerField())


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def unit_active(code: str, *, field: str = "unit") -> Unit:
    unit = Unit.objects.filter(code=code, active=True).first()
    if unit is None:
        raise _invalid(field, _("No active unit has the code '%(code)s'.") % {"code": code})
    return unit


def user_active(username: str, *, field: str = "assignee"):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _invalid(field, _("No active user is called '%(user)s'.") % {"user": username})
    return user


def integrity_unit() -> Unit | None:
    """Where sealed corruption reports go: the first active integrity unit."""
    return Unit.objects.filter(is_integrity=True, active=True).order_by("pk").first()
