"""Personal data retention (PDPA; the portal's notice, docs/portal.md): contact details are kept for
``PERSONAL_DATA_RETENTION_YEARS`` after a case closes, then removed. The case itself stays, as the
official record, and the removal is an audit event. The contact details left with opinions on a consultation go
the same way, counted from the close of their item (docs/participation.md)."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.choices import ActorKind, Visibility
from core.models import Case, Opinion
from workflows.changes import CaseChange, case_changes_write

# The personal data notice shown at intake (portal/templates/portal/_pdpa.html and the API's ``consent``).
# Change it with the notice's text: each case's first event records the version its requester accepted.
PRIVACY_NOTICE_VERSION = "2026-11-25"


def retention_cutoff(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February, in a year that has none
        return now.replace(year=now.year - years, day=28)


def contacts_remove_expired(*, now: datetime | None = None, limit: int = 500) -> int:
    """Remove the contact details of at most ``limit`` cases closed before the retention cutoff, and of at most
    ``limit`` opinions on items closed before it; how many of the larger (the task repeats while it is ``limit``)."""
    now = now or timezone.now()
    years = settings.PERSONAL_DATA_RETENTION_YEARS
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(closed_at__lt=retention_cutoff(now, years))
            .exclude(contact_encrypted="")
            .order_by("closed_at")[:limit]
        )
        changes = [CaseChange(case) for case in cases]
        for change in changes:
            change.set(contact_encrypted="")
            change.event(type="contact_removed", actor_kind=ActorKind.SYSTEM, data={"retention_years": years},
                         visibility=Visibility.INTERNAL)
        case_changes_write(changes)
        opinions = list(Opinion.objects.select_for_update(skip_locked=True).filter(
            case__closed_at__lt=retention_cutoff(now, years)).exclude(contact_encrypted="").values_list(
            "pk", flat=True)[:limit])
        Opinion.objects.filter(pk__in=opinions).update(contact_encrypted="")
    return max(len(cases), len(opinions))
