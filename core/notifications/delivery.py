"""Delivering outbox rows: at least once, with exponential backoff, then dead with the error kept."""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.crypto import decrypt_json
from core.models import LineUser, Notification
from core.notifications.channels import DeliveryFailed, Undeliverable, send_email, send_line, send_webhook
from core.notifications.render import notification_render

logger = logging.getLogger(__name__)


_CASE_FIELDS = ("tracking_number", "kind", "status", "title", "resolve_due_at", "duplicate_of_id", "language",
                "contact_encrypted")
DELIVERY_FIELDS = (
    "channel", "template", "to_citizen", "status", "attempts", "sent_at", "last_error", "next_attempt_at",
    "event__data", "event__to_status", "user__email", "user__username", "agency__email", "follower__email_encrypted",
    "follower__language",
    *(f"event__case__{name}" for name in _CASE_FIELDS), *(f"citizen_case__{name}" for name in _CASE_FIELDS),
)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> str:
    """Send one pending row if it is due. Returns 'sent', 'retry', 'dead' or 'skipped'.

    The row stays locked while it is sent, so two workers never send it at once; a row taken by
    another worker is skipped, not waited for.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Only the columns rendering and sending read, and no ORDER BY (the primary key finds one row):
        # building the query for every column of two cases cost more than sending the mail.
        notification = next(iter(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event__case", "citizen_case", "user", "agency", "follower")
            .only(*DELIVERY_FIELDS)
            .filter(pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now)
        ), None)
        if notification is None:
            return "skipped"
        try:
            _send(notification)
        except Exception as error:  # noqa: BLE001 - every failure is recorded and retried
            return _record_failure(notification, error, now)
        notification.status, notification.sent_at = Notification.Status.SENT, now
        notification.attempts += 1
        notification.save(update_fields=["status", "sent_at", "attempts"])
        return "sent"


def _send(notification: Notification) -> None:
    message = notification_render(notification)
    case = notification.event.case
    citizen_case = notification.citizen_case or case
    contact = decrypt_json(citizen_case.contact_encrypted) if notification.to_citizen else {}
    if notification.channel == Notification.Channel.EMAIL:
        if notification.to_citizen:
            address = contact.get("email")
        elif notification.follower_id:
            # (Empty once they stopped following: nothing is sent after that.)
            address = decrypt_json(notification.follower.email_encrypted).get("email")
        else:
            address = notification.agency.email if notification.agency_id else notification.user.email
        if not address:
            raise DeliveryFailed("no email address")
        send_email(to=address, message=message, message_id=f"<notification-{notification.pk}@{settings.EMAIL_DOMAIN}>")
        return
    if notification.channel == Notification.Channel.LINE:
        user_id = contact.get("line_user_id", "")
        if not user_id or LineUser.objects.filter(user_id=user_id, blocked_at__isnull=False).exists():
            raise Undeliverable("the LINE user blocked the account" if user_id else "no LINE user")
        send_line(to=user_id, message=message, retry_key=str(uuid.uuid5(uuid.NAMESPACE_URL, message_key(notification))))
        return
    recipient = ({"phone": contact.get("phone", ""), "line_id": contact.get("line_id", "")} if notification.to_citizen
                 else {"username": notification.user.username})
    send_webhook(payload={
        "notification_id": notification.pk,
        "template": notification.template,
        "tracking_number": case.tracking_number,
        "language": message.language,
        "recipient": recipient,
        "subject": message.subject,
        "text": message.text,
    })


def _record_failure(notification: Notification, error: Exception, now: datetime) -> str:
    notification.attempts += 1
    notification.last_error = f"{error.__class__.__name__}: {error}"[:2000]
    if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS or isinstance(error, Undeliverable):
        notification.status = Notification.Status.DEAD
        logger.error("notification %s dead after %s attempts: %s", notification.pk, notification.attempts,
                     notification.last_error)
    else:
        notification.next_attempt_at = now + backoff(notification.attempts)
    notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return "dead" if notification.status == Notification.Status.DEAD else "retry"


def message_key(notification: Notification) -> str:
    return f"{settings.EMAIL_DOMAIN}/notification/{notification.pk}"


def notifications_due(*, now: datetime, limit: int) -> list[int]:
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
