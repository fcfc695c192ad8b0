"""Asking for background work: by task name, after the transaction commits.

Services never import ``workers``; they name the task. If the broker is down the message is lost
on purpose rather than failing the request: the database already holds the truth, and a sweep
(unrouted cases, pending notifications, due SLA steps) finds the work again within a minute.
"""

import logging

from celery import current_app
from django.db import transaction

from core import task_names

logger = logging.getLogger(__name__)

# Fail fast when the broker is down: a citizen's request must not wait on Redis.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


BATCH_TASK = task_names.DISPATCH_BATCH
# Ids per message: a few broker round trips for a sweep batch of hundreds of notifications, and a
# task that still finishes in seconds.
BATCH_CHUNK = 200


class _Pending:
    """What one transaction asks for, sent when it commits.

    A few calls (an intake: route the case, deliver its acknowledgement) go as one message to the
    ``dispatch.batch`` task, which runs them in order in one worker: one broker round trip instead
    of one per task, and a publish costs more than the rest of an intake's Python. Many ids of one
    task (the SLA sweep's notifications) go as messages of up to ``BATCH_CHUNK`` ids, so that
    several workers share them.
    """

    def __init__(self):
        self.calls: list[tuple[str, list]] = []

    def add(self, name: str, args: tuple, *, ids: bool) -> None:
        last = self.calls[-1] if self.calls else None
        if ids and last is not None and last[0] == name and getattr(last[1], "ids", False):
            last[1].extend(args)
        else:
            self.calls.append((name, _Ids(args) if ids else list(args)))

    def __call__(self) -> None:
        calls = [(name, list(args[start:start + BATCH_CHUNK]) if isinstance(args, _Ids) else args)
                 for name, args in self.calls
                 for start in (range(0, len(args), BATCH_CHUNK) if isinstance(args, _Ids) else [0])]
        if len(calls) == 1 or sum(len(args) for _, args in calls) > BATCH_CHUNK:
            for name, args in calls:
                send_task_now(name, *args)
        else:
            send_task_now(BATCH_TASK, *calls)


class _Ids(list):
    ids = True


def _pending() -> _Pending:
    connection = transaction.get_connection()
    for _, func, _ in reversed(connection.run_on_commit):
        if isinstance(func, _Pending):
            return func
    pending = _Pending()
    transaction.on_commit(pending)
    return pending


def send_task_on_commit(name: str, *args) -> None:
    """Send task ``name`` with ``args`` once the current transaction commits (at once outside one)."""
    if not transaction.get_connection().in_atomic_block:
        send_task_now(name, *args)
        return
    _pending().add(name, args, ids=False)


def send_ids_on_commit(name: str, *object_ids: int) -> None:
    """Like ``send_task_on_commit(name, object_id)`` for each id, but the ids of one task asked for in a
    row by one transaction travel together, ``BATCH_CHUNK`` to a message.

    Ids whose rows were rolled back with a savepoint are sent anyway; the task finds no row and
    does nothing, which is what an idempotent task is for.
    """
    if not transaction.get_connection().in_atomic_block:
        for start in range(0, len(object_ids), BATCH_CHUNK):
            send_task_now(name, *object_ids[start:start + BATCH_CHUNK])
        return
    _pending().add(name, object_ids, ids=True)


def send_task_now(name: str, *args) -> bool:
    try:
        current_app.send_task(name, args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        return True
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweeps recover the work
        logger.warning("could not send %s%s (%s); a sweep will pick the work up", name, args, error)
        return False
