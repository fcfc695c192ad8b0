"""Contact details are removed when their retention period ends; the case and its chain stay."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.audit import chain_verify
from core.crypto import decrypt_json
from core.models import Case, CaseEvent
from tests.conftest import submit
from workflows.privacy import contacts_remove_expired, retention_cutoff

pytestmark = pytest.mark.django_db


def closed_ago(days: int) -> Case:
    case = submit().case
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now() - timedelta(days=days))
    return Case.objects.get(pk=case.pk)


def test_contacts_of_cases_closed_beyond_the_retention_period_are_removed(settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 5
    expired, recent, still_open = closed_ago(6 * 365), closed_ago(4 * 365), submit().case
    assert contacts_remove_expired() == 1
    expired.refresh_from_db()
    assert expired.contact_encrypted == ""
    event = CaseEvent.objects.get(case=expired, type="contact_removed")
    assert (event.actor_kind, event.visibility, event.data) == ("system", "internal", {"retention_years": 5})
    assert chain_verify(expired).ok
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert decrypt_json(kept.contact_encrypted) == {"name": "ผู้ปกครอง", "phone": "081 234 5678"}
    assert contacts_remove_expired() == 0  # idempotent: nothing left to remove


def test_the_batch_is_bounded(settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 1
    for _ in range(3):
        closed_ago(800)
    assert contacts_remove_expired(limit=2) == 2
    assert contacts_remove_expired(limit=2) == 1


def test_cutoff_on_29_february():
    leap_day = datetime(2028, 2, 29, 12, tzinfo=timezone.get_current_timezone())
    assert retention_cutoff(leap_day, 5) == datetime(2023, 2, 28, 12, tzinfo=timezone.get_current_timezone())
