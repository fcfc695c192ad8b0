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


def send_task_now(name: str, *args) -> bool:
    try:
        current_app.send_task(name, args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        return True
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweeps recover the work
        logger.warning("could not send %s%s (%s); a sweep will pick the work up", name, args, error)
        return False
