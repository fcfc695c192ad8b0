"""Turning an outbox row into a subject and a text, in the reader's language.

Templates live in ``core/templates/notifications/<template>.<lang>.txt``; the first line is
``subject: ...``. Thai is the default; English when the citizen chose it.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.choices import EscalationLevel, Kind, Status
from core.models import Agency, Case, ClockKind, Notification, Office, SurveySubject, WaitingReason
from core.surveys import surveys_open
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
    if notification.follower_id:
        language = notification.follower.language
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
            # The citizen's status page in the portal; the case page of the staff workspace.
            "status_url": f"{base_url}/track/{case.tracking_number}/",
            "staff_url": f"{base_url}/staff/cases/{case.tracking_number}/",
        }
        if notification.follower_id:
            context.update(_follower_context(notification, case, base_url))
        context.update(_template_context(notification, case, language))
        text = render_to_string(f"notifications/{notification.template}.{language}.txt", context)
    first, _, body = text.partition("\n")
    return RenderedMessage(subject=first.removeprefix("subject:").strip(), text=body.strip() + "\n", language=language)


def _follower_context(notification: Notification, case, base_url: str) -> dict:
    """A follower reads the item's public page and can stop following from any message."""
    from workflows.follow_up import unfollow_token

    event = notification.event
    # The phase this message announces, not wherever the item has got to by the time it is sent.
    status = Status(event.to_status).label if event.to_status else case.get_status_display()
    # A suggestion's title is its citizen's own words: its followers read its topic, as the board shows it.
    title = case.title if case.kind == Kind.CODECISION else (case.category.name if case.category_id else "")
    return {"title": title, "event_type": event.type, "status_label": str(status),
            "item_url": f"{base_url}/participation/{case.tracking_number}/",
            "unfollow_url": f"{base_url}/participation/unfollow/{unfollow_token(notification.follower)}/"}


def _template_context(notification: Notification, case, language: str) -> dict:
    """What the referral and waiting messages add: the agency, the letter, the waiting reason. Read only for
    them, by the codes their event recorded."""
    params = notification.event.data.get("params", {})
    if notification.template in ("referred", "agency_referral"):
        agency = Agency.objects.filter(code=params.get("agency")).first()
        letter_date = date.fromisoformat(params["letter_date"]) if params.get("letter_date") else None
        context = {"agency_name": agency.name if agency else params.get("agency", ""),
                   "letter_number": params.get("letter_number", ""),
                   "letter_date": format_date(letter_date, language) if letter_date else ""}
        if notification.template == "agency_referral":
            # Everything the agency needs about the matter; nothing about who raised it.
            full = Case.objects.select_related("category").only(
                "title", "description", "channel", "sealed", "submitted_at", "category__name_th",
                "category__name_en").get(pk=case.pk)
            context.update(title=full.title, description=full.description, sealed=full.sealed,
                           category_name=full.category.name if full.category_id else "",
                           channel_label=str(full.get_channel_display()),
                           received_date=format_date(full.submitted_at, language),
                           reply_days=agency.reply_days if agency else "",
                           office_name=getattr(Office.objects.order_by("pk").first(), "name", ""))
        return context
    if notification.template == "waiting":
        reason = WaitingReason.objects.filter(code=params.get("waiting_reason")).first()
        if reason is None:
            return {"waiting_label": params.get("waiting_reason", "")}
        return {"waiting_label": reason.name, "waiting_explanation": reason.explanation,
                "waiting_days": reason.max_business_days or "", "waiting_stops_clock": reason.stops_clock}
    if notification.template == "closed":
        # A service survey open now is offered to the citizen whose case was closed (seed 3.5).
        survey = next((s for s in surveys_open() if s.subject == SurveySubject.SERVICE and not s.invitation_only),
                      None)
        base_url = settings.PUBLIC_BASE_URL or LOCAL_BASE_URL
        return {"survey_url": f"{base_url}/surveys/{survey.code}/" if survey else ""}
    return {}
