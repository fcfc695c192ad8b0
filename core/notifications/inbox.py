"""The staff workspace's bell: the inbox rows of the outbox (``Notification.Channel.INBOX``), written with the
event they announce (workflows.notify) and marked read by the user who opens them."""

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from core.models import Notification

INBOX_PAGE = 30


def inbox_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, channel=Notification.Channel.INBOX)


def inbox_unread_count(user) -> int:
    """The bell's number. Every staff page shows it, so it is one statement written out: building the ORM's
    query cost more CPU than the count (about 0.7 ms of a page)."""
    sql = f"SELECT count(*) FROM {Notification._meta.db_table} WHERE user_id = %s AND channel = %s AND read_at IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, Notification.Channel.INBOX])
        return cursor.fetchone()[0]


def inbox_latest(user, *, limit: int = INBOX_PAGE) -> list[Notification]:
    """The newest notifications with what the list shows of their events and cases (one query)."""
    return list(inbox_of(user).select_related("event__case").only(
        "template", "created_at", "read_at", "event__type", "event__data", "event__case__tracking_number",
        "event__case__title", "event__case__kind", "event__case__sealed").order_by("-id")[:limit])


def inbox_mark_read(user, *, notification_id: int | None = None) -> str | None:
    """Mark one of the user's notifications read (returning its case's tracking number) or, without an id, all
    of them. Another user's notification is left alone (None)."""
    rows = inbox_of(user).filter(read_at__isnull=True)
    if notification_id is None:
        rows.update(read_at=timezone.now())
        return None
    found = inbox_of(user).filter(pk=notification_id).values_list("event__case__tracking_number", flat=True).first()
    rows.filter(pk=notification_id).update(read_at=timezone.now())
    return found
