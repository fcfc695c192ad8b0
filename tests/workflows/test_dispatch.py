"""Background work is asked for after commit, by task name (a stopped broker: tests/faults)."""

import pytest

from tests.conftest import submit

pytestmark = pytest.mark.django_db


def test_intake_sends_routing_and_notification_tasks_only_on_commit(demo, django_capture_on_commit_callbacks,
                                                                     monkeypatch):
    sent = []
    monkeypatch.setattr("core.dispatch.send_task_now", lambda name, *args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        receipt = submit(contact={"email": "parent@example.com"})
    assert sent == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    names = [name for name, _ in sent]
    assert names.count("routing.route_case") == 1 and ("routing.route_case", (receipt.case.pk,)) in sent
    assert names.count("notifications.deliver") == 1  # the citizen's acknowledgement
