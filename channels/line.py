"""The office's LINE Official Account as a channel (docs/channels.md, "LINE"), on LINE's official SDK (Messaging API v3).
The SDK (hundreds of modules) is imported where it is used: a web process that never serves LINE never loads it, and
its garbage collector does not walk it on every request.

The webhook only checks the signature and keeps each event once (its ``webhookEventId``), then answers: a worker
takes the event (task ``line.process_event``). The conversation is a few guided steps in Thai with quick replies —
complaint or suggestion, topic, what happened, photos, school or place, the personal-data notice and consent, a
summary to confirm — and ends with the tracking number and access key; "เรื่องของฉัน" lists the user's cases.
Corruption reports are not taken over LINE, which is not anonymous: the bot explains and links to the sealed page.
"""

import json
import logging
from datetime import UTC, datetime

import requests
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from channels.models import LineEvent
from core import task_names
from core.catalog import categories_active
from core.choices import Channel, Kind, Status, choice_label
from core.dispatch import send_ids_on_commit
from core.errors import ApplicationError
from core.models import LineUser, School
from core.notifications.channels import line_api
from core.schools import school_typed
from workflows.attachments import attachment_checked
from workflows.citizen import citizen_case_submit

logger = logging.getLogger(__name__)
MAX_PHOTOS = 5
QUICK_REPLIES_MAX = 13  # LINE's limit


@csrf_exempt  # LINE's call, proven by its signature, not a browser's form
@require_POST
def webhook(request):
    """401 and nothing kept unless ``X-Line-Signature`` is the HMAC-SHA256 of the raw body with the channel secret."""
    from linebot.v3.webhook import SignatureValidator  # (the SDK is loaded where LINE is used, not in every process)

    body = request.body.decode("utf-8", "replace")
    signature = request.headers.get("X-Line-Signature", "")
    if not settings.LINE_CHANNEL_SECRET or not signature or not SignatureValidator(
            settings.LINE_CHANNEL_SECRET).validate(body, signature):
        logger.warning("LINE webhook: a request without a valid signature was refused")
        return HttpResponse(status=401)
    try:
        events = json.loads(body).get("events", [])
    except (ValueError, AttributeError, RecursionError):
        return HttpResponse(status=400)
    with transaction.atomic():
        for event in events if isinstance(events, list) else []:
            event_id = str(event.get("webhookEventId") or "")[:64] if isinstance(event, dict) else ""
            if not event_id:
                continue
            try:
                with transaction.atomic():
                    stored = LineEvent.objects.create(webhook_event_id=event_id, payload=event)
            except IntegrityError:
                continue  # redelivered: taken already
            except DataError:  # text PostgreSQL cannot hold (a NUL, a lone surrogate): this event only is left
                logger.warning("LINE webhook: event %s holds text that cannot be stored; left", event_id)
                continue
            send_ids_on_commit(task_names.LINE_PROCESS_EVENT, stored.pk)
    return HttpResponse(status=200)


def line_event_process(*, event_id: int) -> str:
    """Take one stored event, under its user's row lock (two events of one user never interleave); an event older
    than one already taken for its user comes too late and is left, logged."""
    with transaction.atomic(), translation.override("th"):
        stored = LineEvent.objects.select_for_update().filter(pk=event_id, processed_at__isnull=True).first()
        if stored is None:
            return "taken"
        try:
            with transaction.atomic():
                outcome = _take(stored.payload, stored.webhook_event_id)
        except Exception as failure:  # noqa: BLE001 - an event of a shape LINE does not send: marked, never retried
            logger.warning("LINE event %s could not be taken: %s", stored.webhook_event_id, failure)
            outcome = f"malformed: {failure.__class__.__name__}"
        return _done(stored, outcome)


def _take(event: dict, event_id: str) -> str:
    user_id = (event.get("source") or {}).get("userId") or ""
    if not isinstance(user_id, str) or not user_id:
        return "no user"
    user, _created = LineUser.objects.select_for_update().get_or_create(user_id=user_id[:64])
    at = datetime.fromtimestamp(int(event.get("timestamp", 0)) / 1000, tz=UTC)
    if user.last_event_at and at < user.last_event_at:
        logger.info("LINE event %s of %s came after a newer one: left", event_id, user_id)
        return "out of order"
    user.last_event_at = at
    outcome = _converse(user, event)
    user.save()
    return outcome


def _done(stored: LineEvent, outcome: str) -> str:
    stored.processed_at, stored.outcome = timezone.now(), outcome[:200]
    stored.save(update_fields=["processed_at", "outcome"])
    return outcome


# The words the quick replies send back (and a user may type).
COMPLAIN, SUGGEST, MINE, CORRUPTION, SKIP, ACCEPT, CONFIRM, CANCEL = (
    "ร้องเรียน", "เสนอแนะ", "เรื่องของฉัน", "แจ้งเบาะแสทุจริต", "ข้าม", "ยอมรับ", "ยืนยันส่งเรื่อง", "ยกเลิก")


def _converse(user: LineUser, event: dict) -> str:
    kind, token = event.get("type"), event.get("replyToken", "")
    if kind == "unfollow":
        user.blocked_at, user.step, user.draft = timezone.now(), "idle", {}
        return "blocked"
    if kind == "follow":
        user.blocked_at = None
        return _reply(token, _greeting(), _menu())
    if kind != "message":
        return "ignored"
    message = event.get("message") or {}
    if message.get("type") == "image" and user.step == "photos":
        photos = user.draft.setdefault("photos", [])
        if len(photos) >= MAX_PHOTOS:
            return _reply(token, _("That is enough photos. Press \"Skip\" to go on."), [SKIP])
        photos.append(str(message.get("id", ""))[:64])
        user.draft = dict(user.draft)
        return _reply(token, _("Photo received (%(count)d). Send more, or press \"Skip\" to go on.")
                      % {"count": len(photos)}, [SKIP])
    text = message.get("text") if message.get("type") == "text" else ""
    text = text.strip()[:5000] if isinstance(text, str) else ""
    if text == CANCEL:
        user.step, user.draft = "idle", {}
        return _reply(token, _("Cancelled. Nothing was sent."), _menu())
    return STEPS.get(user.step, _idle)(user, text, token)


def _idle(user: LineUser, text: str, token: str) -> str:
    if text == MINE:
        return _reply(token, _my_cases(user), _menu())
    if text == CORRUPTION:
        return _reply(token, _("A LINE account is not anonymous, so corruption reports are not taken here. Please use "
                               "the office's sealed corruption channel, where you may stay anonymous: %(url)s")
                      % {"url": _public_url("/corruption/")}, _menu())
    if text in (COMPLAIN, SUGGEST):
        user.step, user.draft = "topic", {"kind": Kind.COMPLAINT if text == COMPLAIN else Kind.SUGGESTION}
        return _reply(token, _("What is it about? Choose a topic."), [label for _code, label in _topics(user)])
    return _reply(token, _greeting(), _menu())


def _topics(user: LineUser) -> list[tuple[str, str]]:
    topics = [(category.code, category.name_th[:20]) for category in categories_active(kind=user.draft["kind"])]
    return topics[:QUICK_REPLIES_MAX - 1]


def _topic(user: LineUser, text: str, token: str) -> str:
    chosen = next((code for code, label in _topics(user) if label == text), None)
    if chosen is None:
        return _reply(token, _("Please choose one of the topics."), [label for _code, label in _topics(user)])
    user.draft = {**user.draft, "category": chosen}
    user.step = "story"
    return _reply(token, _("Tell us what happened: what, where, when, and what you would like the office to do."),
                  [CANCEL])


def _story(user: LineUser, text: str, token: str) -> str:
    if len(text) < 10:
        return _reply(token, _("Please tell us a little more (at least 10 characters)."), [CANCEL])
    user.draft = {**user.draft, "description": text}
    user.step = "photos"
    return _reply(token, _("Send photos if you have any (up to %(count)d), or press \"Skip\".") % {"count": MAX_PHOTOS},
                  [SKIP, CANCEL])


def _photos(user: LineUser, text: str, token: str) -> str:
    user.step = "place"
    return _reply(token, _("Which school or place is it about? Type the school's name or code, or the place."),
                  [SKIP, CANCEL])


def _place(user: LineUser, text: str, token: str) -> str:
    if text and text != SKIP:
        school = school_typed(text)
        user.draft = {**user.draft, **({"school": school.code} if school else {"place": text[:300]})}
    user.step = "consent"
    return _reply(token, _("Personal data notice: the office keeps your LINE account's ID with this case, only to "
                           "handle it and to tell you its progress here, for %(years)d years after it is closed. The "
                           "officers of the responsible unit, their supervisors and the auditors see it. You may ask "
                           "to see, correct or delete it. Do you accept?")
                  % {"years": settings.PERSONAL_DATA_RETENTION_YEARS}, [ACCEPT, CANCEL])


def _consent(user: LineUser, text: str, token: str) -> str:
    if text != ACCEPT:
        return _reply(token, _("Please accept the notice to send, or cancel."), [ACCEPT, CANCEL])
    user.step = "confirm"
    draft = user.draft
    where = School.objects.filter(code=draft.get("school", "")).first()
    summary = "\n".join([
        f"{choice_label(Kind, draft['kind'])}: {_topic_name(draft)}",
        draft["description"][:300],
        _("Photos: %(count)d") % {"count": len(draft.get("photos", []))},
        _("Where: %(place)s") % {"place": where.name_th if where else draft.get("place") or "-"},
    ])
    return _reply(token, _("Please check and confirm:") + "\n\n" + summary, [CONFIRM, CANCEL])


def _topic_name(draft: dict) -> str:
    category = categories_active(kind=draft["kind"]).filter(code=draft["category"]).first()
    return category.name_th if category else draft["category"]


def _confirm(user: LineUser, text: str, token: str) -> str:
    if text != CONFIRM:
        return _reply(token, _("Press \"Confirm\" to send, or \"Cancel\"."), [CONFIRM, CANCEL])
    draft = user.draft
    uploads, left_out = _photos_downloaded(draft.get("photos", []))
    place = _("Place")
    description = draft["description"] + (f"\n\n{place}: {draft['place']}" if draft.get("place") else "")
    try:
        receipt = citizen_case_submit(
            kind=draft["kind"], category_code=draft["category"], channel=Channel.LINE,
            title=draft["description"].splitlines()[0][:120], description=description, language="th",
            contact={"line_user_id": user.user_id}, consent=True, school_code=draft.get("school"),
            uploads=uploads)
    except ApplicationError as refusal:
        user.step, user.draft = "idle", {}
        return _reply(token, _("The case could not be sent: %(reason)s") % {"reason": refusal.message}, _menu())
    user.cases.add(receipt.case)
    user.step, user.draft = "idle", {}
    lines = [_("Received. Your tracking number: %(number)s") % {"number": receipt.case.tracking_number},
             _("Access key (keep it secret; it is shown only now): %(key)s") % {"key": receipt.access_key},
             _("Follow the case: %(url)s") % {"url": _public_url(f"/track/{receipt.case.tracking_number}/")}]
    if left_out:
        lines.append(_("Photos not attached (not a real photo, or too large): %(count)d") % {"count": len(left_out)})
    _reply(token, "\n".join(lines), _menu())
    return "case"


def _photos_downloaded(message_ids: list[str]) -> tuple[list, list]:
    """The photos' bytes from LINE's content API, each checked like any upload; those that fail, left out."""
    uploads, left_out = [], []
    for message_id in message_ids:
        try:
            response = requests.get(f"{settings.LINE_DATA_BASE_URL}/v2/bot/message/{message_id}/content", timeout=30,
                                    headers={"Authorization": f"Bearer {settings.LINE_CHANNEL_ACCESS_TOKEN}"})
            response.raise_for_status()
            upload = SimpleUploadedFile(f"line-{message_id}.jpg", response.content[:settings.ATTACHMENT_MAX_BYTES + 1])
            attachment_checked(upload)
        except (requests.RequestException, ApplicationError) as problem:
            left_out.append(f"{message_id}: {problem}")
            continue
        uploads.append(upload)
    return uploads, left_out


def _my_cases(user: LineUser) -> str:
    cases = list(user.cases.order_by("-submitted_at")[:10])
    if not cases:
        return _("You have sent no case through LINE yet.")
    return "\n".join(f"{case.tracking_number}: {choice_label(Status, case.status)}" for case in cases)


STEPS = {"idle": _idle, "topic": _topic, "story": _story, "photos": _photos, "place": _place, "consent": _consent,
         "confirm": _confirm}


def _greeting() -> str:
    return _("Hello. This is the office's channel for complaints and suggestions. What would you like to do?")


def _menu() -> list[str]:
    return [COMPLAIN, SUGGEST, MINE, CORRUPTION]


def _public_url(path: str) -> str:
    return (settings.PUBLIC_BASE_URL or "http://127.0.0.1:8000") + path


def _reply(token: str, text: str, choices: list[str]) -> str:
    """Answer with the event's reply token (free of charge; good once, for a minute), once what the answer says is
    committed: "received, your number is..." is never said of a case that was rolled back."""
    transaction.on_commit(lambda: _send_reply(token, text, choices))
    return "replied"


def _send_reply(token: str, text: str, choices: list[str]) -> None:
    from linebot.v3.messaging import MessageAction, QuickReply, QuickReplyItem, ReplyMessageRequest, TextMessage

    quick = QuickReply(items=[QuickReplyItem(action=MessageAction(label=label[:20], text=label))
                              for label in choices[:QUICK_REPLIES_MAX]]) if choices else None
    try:
        line_api().reply_message(ReplyMessageRequest(reply_token=token, messages=[
            TextMessage(text=text[:5000], quick_reply=quick)]))
    except Exception as failure:  # noqa: BLE001 - LINE down or answering oddly: the step is kept, the user writes again
        logger.warning("LINE reply failed: %s", failure)
