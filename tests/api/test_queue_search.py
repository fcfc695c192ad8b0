"""q= searches in queues: the bounded two-step search (core.keyset) finds exactly what a plain
filter finds, in the queue's order, page after page, whichever step the matches come from."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import keyset as pagination
from core.models import Case
from core.models.case import NO_DEADLINE
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe_of_three(monkeypatch):
    # With a probe of 3 rows, a page of 2 is served by the walk, by the text index, or by both.
    monkeypatch.setattr(pagination, "SEARCH_PROBE_ROWS", 3)


def _cases_with_deadlines(count: int, word_every: int) -> list[Case]:
    now = timezone.now()
    cases = []
    for n in range(count):
        text = "หลังคาอาคารเรียนรั่ว" if n % word_every == 0 else "ครูไม่เข้าสอน"
        case = submit(title=f"เรื่องที่ {n}", description=text).case
        # Deadlines in an order that differs from the ids; two without a running clock.
        due = None if n in (1, 4) else now + timedelta(minutes=(n * 37) % 11 - 5)
        Case.objects.filter(pk=case.pk).update(sla_due_at=due)
        cases.append(Case.objects.get(pk=case.pk))
    return cases


def _expected(cases: list[Case], word: str, ordering: str) -> list[str]:
    matching = [case for case in cases if word in case.description]
    if ordering == "due":
        matching.sort(key=lambda case: (case.sla_due_at or NO_DEADLINE, case.pk))
    else:
        matching.sort(key=lambda case: case.pk, reverse=ordering == "newest")
    return [case.tracking_number for case in matching]


def _all_pages(client, url: str) -> list[str]:
    page = client.get(url).json()
    seen = [item["tracking_number"] for item in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [item["tracking_number"] for item in page["results"]]
    return seen


@pytest.mark.parametrize("ordering", ["due", "newest", "oldest"])
@pytest.mark.parametrize("word_every", [1, 3, 7])  # common, in between, rare
def test_search_pages_match_a_plain_filter_in_queue_order(staff, demo, probe_of_three, ordering, word_every):
    cases = _cases_with_deadlines(12, word_every)
    client = staff("clerk1")
    seen = _all_pages(client, f"/api/v1/cases/?q=อาคารเรียน&page_size=2&ordering={ordering}")
    assert seen == _expected(cases, "อาคารเรียน", ordering)


def test_search_keeps_visibility_and_queue_rules(staff, demo, probe_of_three):
    officer1 = user_named("officer1")
    mine = [put_in_status(submit(description="หลังคารั่ว").case, "in_progress", unit="personnel", assignee=officer1)
            for _ in range(2)]
    others = [put_in_status(submit(description="หลังคารั่ว").case, "in_progress", unit="policy")
              for _ in range(5)]
    client = staff("officer1")
    seen = set(_all_pages(client, "/api/v1/cases/?q=หลังคารั่ว&page_size=1"))
    assert seen == {case.tracking_number for case in mine}
    assert not seen & {case.tracking_number for case in others}
    assert set(_all_pages(client, "/api/v1/cases/?q=หลังคารั่ว&queue=unassigned")) == set()


def test_a_tracking_number_finds_its_case_exactly(staff, demo, probe_of_three):
    case = submit().case
    for _ in range(4):
        submit()
    found = _all_pages(staff("clerk1"), f"/api/v1/cases/?q={case.tracking_number.lower()}")
    assert found == [case.tracking_number]
