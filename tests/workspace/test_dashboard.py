"""The dashboard: the reader's units only (the integrity unit's for the director and the integrity unit), every
number linking to its queue, charts beside their tables, read from the snapshot beat keeps."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.dashboard import dashboard_figures_refresh
from core.models import Case, DashboardSnapshot
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db


def figures_now():
    return dashboard_figures_refresh(now=timezone.now())


def test_a_head_sees_their_units_with_links_to_the_queues_behind_each_number(desk):
    late = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    Case.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timedelta(days=2))
    put_in_status(submit().case, "in_progress", unit="finance")
    figures_now()
    page = desk("supervisor1").get("/staff/dashboard/")
    text = page.content.decode()
    assert page.status_code == 200 and "กลุ่มบริหารงานบุคคล" in text and "กลุ่มบริหารงานการเงิน" not in text
    assert 'href="/staff/?queue=overdue&amp;unit=personnel">1<' in text
    assert 'href="/staff/?queue=overdue&amp;assignee=officer1">1<' in text
    assert text.count("<svg") >= 3 and text.count('class="figures"') >= 5  # each chart with its table
    assert "สัปดาห์" in text or "ต่อสัปดาห์" in text


def test_who_sees_which_units(desk):
    put_in_status(submit("corruption").case, "fact_finding")
    figures_now()
    director = desk("director").get("/staff/dashboard/").content.decode()
    auditor = desk("auditor1").get("/staff/dashboard/").content.decode()
    assert "หน่วยตรวจสอบภายใน" in director and "หน่วยตรวจสอบภายใน" not in auditor
    assert desk("officer1").get("/staff/dashboard/").status_code == 403
    assert desk("clerk1").get("/staff/dashboard/").status_code == 403


def test_the_page_reads_the_snapshot_and_computes_only_when_there_is_none(desk, django_assert_max_num_queries):
    client = desk("director")
    assert not DashboardSnapshot.objects.exists()
    assert client.get("/staff/dashboard/").status_code == 200  # the first time, computed on the spot
    computed = DashboardSnapshot.objects.get().computed_at
    with django_assert_max_num_queries(14):
        assert client.get("/staff/dashboard/").status_code == 200
    assert DashboardSnapshot.objects.get().computed_at == computed


def test_weekly_intake_backlog_categories_and_channels_are_counted(demo):
    for channel in ("web", "phone", "phone"):
        submit(channel=channel)
    figures = figures_now().figures
    units = figures["units"]
    received = sum(week["received"] for data in units.values() for week in data["weeks"].values())
    assert received == 3 and sum(n for data in units.values() for n in data["backlog"].values()) == 3
    channels = {}
    for data in units.values():
        for name, n in data["channels"].items():
            channels[name] = channels.get(name, 0) + n
    assert channels == {"web": 1, "phone": 2}
