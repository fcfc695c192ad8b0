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


class Undeliverable(DeliveryFailed):
    """No retry can help (the LINE user blocked the account): the row is given up at once."""


def line_api():
    """LINE's Messaging API client of the official SDK, on ``LINE_API_BASE_URL`` (LINE's own in production; a local
    server that plays it in the tests)."""
    from linebot.v3.messaging import ApiClient, Configuration, MessagingApi

    configuration = Configuration(access_token=settings.LINE_CHANNEL_ACCESS_TOKEN, host=settings.LINE_API_BASE_URL)
    return MessagingApi(ApiClient(configuration))


def send_line(*, to: str, message: RenderedMessage, retry_key: str) -> None:
    """Push the message to a LINE user. ``retry_key`` (a UUID per outbox row) makes a retried push one message."""
    from linebot.v3.messaging import PushMessageRequest, TextMessage
    from linebot.v3.messaging.exceptions import ApiException

    text = f"{message.subject}\n\n{message.text}".strip()[:5000]  # LINE's limit for one text message
    try:
        line_api().push_message(PushMessageRequest(to=to, messages=[TextMessage(text=text)]),
                                x_line_retry_key=retry_key)
    except ApiException as error:
        if error.status == 409:  # this retry key was accepted before: the message went out
            return
        raise DeliveryFailed(f"LINE answered {error.status}: {error.reason}") from error
    except OSError as error:
        raise DeliveryFailed(f"LINE: {error}") from error
