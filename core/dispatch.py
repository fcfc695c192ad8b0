"""Asking for background work: by task name, after the transaction commits.

Services never import ``workers``; they name the task. If the broker is down the message is lost
on purpose rather than failing the request: the database already holds the truth, and a sweep
(unrouted cases, pending notifications, due SLA steps) finds the work again within a minute.
"""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

# Fail fast when the broker is down: a citizen's request must not wait on Redis.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def send_task_on_commit(name: str, *args) -> None:
    transaction.on_commit(lambda: send_task_now(name, *args))


# Ids per message: a few broker round trips for a sweep batch of hundreds of notifications, and a
# task that still finishes in seconds.
BATCH_CHUNK = 200


class _IdBatch:
    """Ids for one task name, sent when the transaction that collected them commits."""

    def __init__(self, name: str):
        self.name, self.ids = name, []

    def __call__(self) -> None:
        for start in range(0, len(self.ids), BATCH_CHUNK):
            send_task_now(self.name, *self.ids[start:start + BATCH_CHUNK])


def send_ids_on_commit(name: str, *object_ids: int) -> None:
    """Like ``send_task_on_commit(name, object_id)`` for each id, but a transaction that asks for many ids of the
    same task sends them as a few messages of up to ``BATCH_CHUNK`` ids each (the SLA sweep writes
    hundreds of notifications per transaction; one broker round trip each would dominate it).

    Ids whose rows were rolled back with a savepoint are sent anyway; the task finds no row and
    does nothing, which is what an idempotent task is for.
    """
    connection = transaction.get_connection()
    pending = [func for _, func, _ in connection.run_on_commit if isinstance(func, _IdBatch) and func.name == name]
    if pending:
        pending[-1].ids.extend(object_ids)
        return
    batch = _IdBatch(name)
    batch.ids.extend(object_ids)
    transaction.on_commit(batch)


def send_task_now(name: str, *args) -> bool:
    try:
        current_app.send_task(name, args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        return True
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweeps recover the work
        logger.warning("could not send %s%s (%s); a sweep will pick the work up", name, args, error)
        return False
