from django import template
from django.utils.translation import gettext as _

from core.calendar import BUSINESS_DAY_SECONDS
from workspace.labels import notification_label, transition_label

register = template.Library()


@register.filter
def get(mapping: dict, key):
    """``counts|get:name``: a dict's value by a key held in a variable."""
    return mapping.get(key, "")


@register.filter
def step_label(name: str) -> str:
    """A transition's name as staff call it."""
    return transition_label(name)


@register.filter
def notification_text(template_name: str) -> str:
    return notification_label(template_name)


@register.filter
def business_days(seconds) -> str:
    """Clock seconds as business days (8 office hours each), to one decimal."""
    return _("%(days)s business days") % {"days": f"{float(seconds) / BUSINESS_DAY_SECONDS:.1f}"}
