import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from core.access import staff_profile
from core.models import Category, Membership, Office, RoutingRule, Unit
from tests.conftest import user_named

pytestmark = pytest.mark.django_db

USERS = ["admin", "clerk1", "officer1", "officer2", "supervisor1", "director", "integrity1", "auditor1", "committee1"]


def counts():
    return (Office.objects.count(), Unit.objects.count(), Category.objects.count(), Membership.objects.count())


def test_seed_demo_made_the_office_of_the_seed():
    # (The suite's database was seeded once, empty, by conftest's django_db_setup.)
    assert counts() == (1, 10, 23, 6)
    assert "สพป.นครสวรรค์ เขต 1" in Office.objects.get().short_name_th
    assert Unit.objects.get(code="legal").name_th == "กลุ่มกฎหมายและคดี"
    assert list(Unit.objects.filter(is_integrity=True).values_list("name_th", flat=True)) == ["หน่วยตรวจสอบภายใน"]
    for username in USERS:
        assert authenticate(username=username, password="rabfang-demo") is not None, username


def test_seed_demo_on_a_database_that_holds_an_office_changes_nothing(settings):
    """`make run` seeds on every start: what the office's administrators changed stays, and data the demo
    would not make (two routing rules with one name) does not make it crash."""
    officer = user_named("officer1")
    officer.set_password("changed-by-the-office")
    officer.save()
    Unit.objects.filter(code="legal").update(name_th="กลุ่มกฎหมาย (แก้ไข)")
    rule = RoutingRule.objects.order_by("position").first()
    RoutingRule.objects.create(name=rule.name, position=999, unit=rule.unit)
    before = counts()
    settings.DEMO_PASSWORD = "another-secret"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "nothing seeded" in out.getvalue()
    assert counts() == before
    assert Unit.objects.get(code="legal").name_th == "กลุ่มกฎหมาย (แก้ไข)"
    assert authenticate(username="officer1", password="changed-by-the-office") is not None
    assert authenticate(username="clerk1", password="another-secret") is None


def test_only_administrators_may_use_the_django_admin():
    assert [user.username for user in get_user_model().objects.filter(is_staff=True)] == ["admin"]


def test_demo_roles():
    assert staff_profile(user_named("director")).is_director
    assert staff_profile(user_named("supervisor1")).is_head
    assert staff_profile(user_named("integrity1")).integrity_unit_ids
    assert "clerk" in staff_profile(user_named("clerk1")).roles
    assert user_named("admin").is_superuser
