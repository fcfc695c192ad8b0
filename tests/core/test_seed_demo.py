import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from core.access import staff_profile
from core.models import Category, Membership, Office, Unit
from tests.conftest import user_named

pytestmark = pytest.mark.django_db

USERS = ["admin", "clerk1", "officer1", "officer2", "supervisor1", "director", "integrity1", "auditor1", "committee1"]


def counts():
    return (Office.objects.count(), Unit.objects.count(), Category.objects.count(), Membership.objects.count())


def test_seed_demo_creates_the_office_of_the_seed_and_is_idempotent(settings):
    settings.DEMO_PASSWORD = "another-secret"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first == (1, 10, 23, 6)

    assert "สพป.นครสวรรค์ เขต 1" in Office.objects.get().short_name_th
    assert Unit.objects.get(code="legal").name_th == "กลุ่มกฎหมายและคดี"
    assert list(Unit.objects.filter(is_integrity=True).values_list("name_th", flat=True)) == ["หน่วยตรวจสอบภายใน"]
    for username in USERS:
        assert authenticate(username=username, password="another-secret") is not None, username
    assert "officer1" in out.getvalue()


def test_demo_roles():
    assert staff_profile(user_named("director")).is_director
    assert staff_profile(user_named("supervisor1")).is_head
    assert staff_profile(user_named("integrity1")).integrity_unit_ids
    assert "clerk" in staff_profile(user_named("clerk1")).roles
    assert user_named("admin").is_superuser
