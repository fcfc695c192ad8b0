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
    # One message: route the case, then deliver the citizen's acknowledgement.
    [(name, calls)] = sent
    assert name == "dispatch.batch"
    assert [call[0] for call in calls] == ["routing.route_case", "notifications.deliver"]
    assert calls[0][1] == [receipt.case.pk] and len(calls[1][1]) == 1


def test_a_batch_runs_each_task_in_order_in_the_worker(demo):
    from core.models import Case, Notification
    from workers.tasks import run_batch

    receipt = submit(contact={"email": "parent@example.com"})
    [notification] = Notification.objects.filter(event__case=receipt.case)
    run_batch(["routing.route_case", [receipt.case.pk]], ["no.such_task", []],
              ["notifications.deliver", [notification.pk]])
    assert Case.objects.get(pk=receipt.case.pk).status == "assigned"  # routed
    notification.refresh_from_db()
    assert notification.attempts == 1  # tried (no mail server here), though the task before it failed


def test_many_ids_of_one_task_go_in_chunks(demo, django_capture_on_commit_callbacks, monkeypatch):
    from django.db import transaction

    from core.dispatch import BATCH_CHUNK, send_ids_on_commit

    sent = []
    monkeypatch.setattr("core.dispatch.send_task_now", lambda name, *args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_ids_on_commit("notifications.deliver", *range(BATCH_CHUNK + 5))
    assert [(name, len(args)) for name, args in sent] == [("notifications.deliver", BATCH_CHUNK),
                                                         ("notifications.deliver", 5)]
