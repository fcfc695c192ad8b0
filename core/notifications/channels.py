"""Sending one rendered message: email over SMTP, or a signed webhook for LINE/SMS gateways."""

import hashlib
import hmac
import json
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from core.notifications.render import RenderedMessage


class DeliveryFailed(Exception):
    pass


def send_email(*, to: str, message: RenderedMessage, message_id: str) -> None:
    email = EmailMessage(subject=message.subject, body=message.text, to=[to], headers={"Message-ID": message_id})
    if email.send(fail_silently=False) != 1:
        raise DeliveryFailed("the mail server accepted no recipient")


def webhook_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(*, payload: dict[str, Any]) -> None:
    """POST the payload; the receiver checks ``X-Rabfang-Signature`` (HMAC-SHA256 of the body)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    request = urllib.request.Request(
        settings.NOTIFY_WEBHOOK_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Rabfang-Signature": webhook_signature(body, settings.NOTIFY_WEBHOOK_SECRET),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:
            if not 200 <= response.status < 300:
                raise DeliveryFailed(f"webhook answered {response.status}")
    except OSError as error:  # URLError, HTTPError, timeouts
        raise DeliveryFailed(f"webhook: {error}") from error
