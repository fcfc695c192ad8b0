"""Turning an outbox row into a subject and a text, in the reader's language.

Templates live in ``core/templates/notifications/<template>.<lang>.txt``; the first line is
``subject: ...``. Thai is the default; English when the citizen chose it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.choices import EscalationLevel
from core.models import ClockKind, Notification
from core.thai_dates import format_date, format_datetime

# Where `make run` serves, for links when PUBLIC_BASE_URL is not set (production sets it).
LOCAL_BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    language: str


def notification_render(notification: Notification) -> RenderedMessage:
    event, case = notification.event, notification.event.case
    citizen_case = notification.citizen_case or case
    language = citizen_case.language if notification.to_citizen else "th"
    language = language if language in ("th", "en") else "th"
    base_url = settings.PUBLIC_BASE_URL or LOCAL_BASE_URL
    with translation.override(language):
        context = {
            "tracking_number": case.tracking_number,
            # The requester of a duplicate merged into this case: tell them which of theirs it was.
            "merged_from": citizen_case.tracking_number if citizen_case.pk != case.pk else "",
            "kept_tracking_number": case.duplicate_of.tracking_number if case.duplicate_of_id else "",
            "kind_label": str(case.get_kind_display()),
            "status_label": str(case.get_status_display()),
            "message": event.data.get("message", ""),
            "title": "" if notification.to_citizen else case.title,
            "due": format_datetime(case.resolve_due_at, language),
            "due_date": format_date(case.resolve_due_at, language),
            "level_label": str(EscalationLevel(event.data["to_level"]).label) if "to_level" in event.data else "",
            "clock": str(ClockKind(event.data["clock"]).label) if "clock" in event.data else "",
            "percent": event.data.get("percent", ""),
            "score": event.data.get("score", ""),
            # The citizen's status page in the portal; staff work through the API.
            "status_url": f"{base_url}/track/{case.tracking_number}/",
            "staff_url": f"{base_url}/api/v1/cases/{case.tracking_number}/",
        }
        text = render_to_string(f"notifications/{notification.template}.{language}.txt", context)
    first, _, body = text.partition("\n")
    return RenderedMessage(subject=first.removeprefix("subject:").strip(), text=body.strip() + "\n", language=language)
