"""The notification outbox: written in the same transaction as the event it announces (docs/design.md, "Notifications")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.event import CaseEvent


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook (LINE / SMS gateway)")
        # A push message to the citizen's LINE (a case sent through the office's LINE Official Account).
        LINE = "line", _("LINE message")
        # The staff workspace's bell: written as sent, read on the page (read_at), never delivered elsewhere.
        INBOX = "inbox", _("Workspace notifications")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Gave up")

    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # Who: the citizen of the case (address read from the encrypted contact at delivery time,
    # so the outbox never copies personal data) or one staff user.
    to_citizen = models.BooleanField(default=False)
    # Whose citizen: the event's own case, or a duplicate merged into it (its requester keeps
    # hearing about the case that carries on the work).
    citizen_case = models.ForeignKey("core.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    # Or another agency a case is referred to (its address read at delivery time).
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Or someone following a co-decision item (core.models.consultation.Follower; the address read at delivery).
    follower = models.ForeignKey("core.Follower", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    template = models.CharField(max_length=48)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)  # inbox rows: when the user opened it

    class Meta:
        # One row per event, channel and recipient: the citizen once, each staff user once.
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "citizen_case"], condition=models.Q(to_citizen=True),
                                    name="notification_once_per_citizen"),
            models.UniqueConstraint(fields=["event", "channel", "user"], condition=models.Q(user__isnull=False),
                                    name="notification_once_per_user"),
            models.UniqueConstraint(fields=["event", "channel", "agency"], condition=models.Q(agency__isnull=False),
                                    name="notification_once_per_agency"),
            models.UniqueConstraint(fields=["event", "channel", "follower"], condition=models.Q(follower__isnull=False),
                                    name="notification_once_per_follower"),
            models.CheckConstraint(condition=models.Q(to_citizen=False) | models.Q(citizen_case__isnull=False),
                                   name="notification_citizen_has_case"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"),
                         name="notification_pending_due"),
            # A user's bell: their newest inbox rows, and how many are unread.
            models.Index(fields=["user", "-id"], condition=models.Q(channel="inbox"), name="notification_inbox"),
        ]
        verbose_name = _("notification")
