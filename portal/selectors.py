"""Reads for the public pages."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.choices import PUBLIC_KINDS, Kind
from core.models import DurationUnit, Office, SlaPolicy
from portal.models import PublishedChannel


@dataclass(frozen=True)
class KindPromise:
    kind: str
    label: str
    acknowledge: str
    answer: str


def office_published() -> Office | None:
    return Office.objects.order_by("pk").first()


def channels_published(office: Office | None) -> list[PublishedChannel]:
    if office is None:
        return []
    return list(PublishedChannel.objects.filter(office=office, active=True))


def kind_promises() -> list[KindPromise]:
    """How long each kind takes, from the general policy of each kind (no category, no priority)."""
    general = {policy.kind: policy for policy in SlaPolicy.objects.filter(
        active=True, category__isnull=True, priority="", kind__in=[str(kind) for kind in PUBLIC_KINDS])}
    promises = []
    for kind in PUBLIC_KINDS:
        policy = general.get(kind.value)
        if policy is not None:
            promises.append(KindPromise(kind=kind.value, label=str(Kind(kind).label),
                                        acknowledge=duration_text(policy.acknowledge_value, policy.acknowledge_unit),
                                        answer=duration_text(policy.resolve_value, policy.resolve_unit)))
    return promises


def duration_text(value: Decimal, unit: str) -> str:
    number = f"{value.normalize():f}"
    return _("%(number)s %(unit)s") % {"number": number, "unit": DurationUnit(unit).label}
