"""The office's mailbox as a channel (docs/channels.md): a beat task reads new messages over IMAP. A new message
becomes a complaint (channel email, its sender as the contact, its attachments checked by content like any upload);
a reply whose subject carries a case's tracking number, from the address that case was sent from, becomes the
citizen's message on it. Automatic replies and delivery reports are left alone. Each message is taken once (its
Message-ID, unique in ``InboundMail``) and marked read on the server only after what it became is committed; a
message that cannot be taken is recorded as refused and marked too, so one bad message never holds up the mailbox."""

import hashlib
import logging
import re
from email import policy
from email.header import decode_header, make_header
from email.message import Message

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessageFlags

from channels.models import InboundMail, MailOutcome
from core.choices import ActorKind, Channel, Kind, Visibility
from core.errors import ApplicationError
from core.models import Case
from core.tracking import tracking_number_parse
from workflows.attachments import attachment_checked, attachment_store
from workflows.changes import case_change_record
from workflows.citizen import citizen_message_by_email
from workflows.intake import case_submit

logger = logging.getLogger(__name__)
TRACKING_IN_SUBJECT = re.compile(r"\b(CM|SG|CD)[-\s]?([0-9A-Z]{4})[-\s]?([0-9A-Z]{4})[-\s]?([0-9A-Z]{4})\b", re.I)
# A sealed report's number: such mail is not taken (its reporter uses the sealed page), nor copied into a case.
SEALED_IN_SUBJECT = re.compile(r"\bCR[-\s]?[0-9A-Z]{4}[-\s]?[0-9A-Z]{4}[-\s]?[0-9A-Z]{4}\b", re.I)
AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster", "no-reply", "noreply")
DESCRIPTION_MAX = 10_000
# Thai mail still comes in the old Thai code pages; a part that lies about its charset is read as these in turn.
FALLBACK_CHARSETS = ("utf-8", "cp874", "tis-620")


def mailbox_poll(*, limit: int = 50) -> dict[str, int]:
    """Take up to ``limit`` unread messages; how many became what. Nothing to do without ``MAILBOX_IMAP_HOST``."""
    counts = {outcome: 0 for outcome in MailOutcome.values}
    if not settings.MAILBOX_IMAP_HOST:
        return counts
    box_class = MailBox if settings.MAILBOX_IMAP_SSL else MailBoxUnencrypted
    with box_class(settings.MAILBOX_IMAP_HOST, settings.MAILBOX_IMAP_PORT).login(
            settings.MAILBOX_IMAP_USER, settings.MAILBOX_IMAP_PASSWORD, initial_folder=settings.MAILBOX_IMAP_FOLDER) as box:
        for uid in box.uids(AND(seen=False))[:limit]:
            try:
                outcome = _take_uid(box, uid)
            except Exception:  # noqa: BLE001 - a message the library cannot even read: passed over, logged
                logger.exception("mailbox: message %s could not be read; marked read and passed over", uid)
                outcome = MailOutcome.REFUSED
            if outcome is not None:
                counts[outcome] += 1
            box.flag(uid, MailMessageFlags.SEEN, True)  # only now: what it became is committed (or refused)
    return counts


def _take_uid(box, uid: str) -> str | None:
    [head] = list(box.fetch(AND(uid=uid), mark_seen=False, headers_only=True)) or [None]
    if head is None:
        return None
    if head.size_rfc822 > settings.MAILBOX_MAX_BYTES:
        return _record_only(head.obj, MailOutcome.REFUSED, f"larger than {settings.MAILBOX_MAX_BYTES} bytes")
    [message] = list(box.fetch(AND(uid=uid), mark_seen=False)) or [None]
    return mail_take(message.obj) if message is not None else None


def _storable(text: str) -> str:
    """Text PostgreSQL takes: no NUL, no lone surrogate (mail is written by strangers)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _message_id(message: Message) -> str:
    """What makes a message the same message: its Message-ID with its sender and subject, so that a redelivery is
    taken once but a stranger who guesses a Message-ID cannot pre-empt the real message."""
    given = _storable(str(message.get("Message-ID") or "")).strip()[:400]
    headers = f"{message.get('From')}|{message.get('Subject')}" if given else str(message.items())
    digest = hashlib.sha256(headers.encode("utf-8", "replace")).hexdigest()[:32]
    return f"{given}|{digest}" if given else f"sha256:{digest}"


def _record_only(message: Message, outcome: str, detail: str) -> str | None:
    try:
        with transaction.atomic():
            InboundMail.objects.create(message_id=_message_id(message), sender=_storable(_sender(message)[1])[:254],
                                       subject=_storable(_header(message, "Subject"))[:300], outcome=outcome,
                                       detail=_storable(detail))
    except IntegrityError:
        return None  # taken before
    except Exception:  # noqa: BLE001 - even the record failed: log it; the message is marked read all the same
        logger.exception("mailbox: a message could not even be recorded")
        return MailOutcome.REFUSED
    return outcome


def mail_take(message: Message) -> str | None:
    """What one message becomes, committed with its record; None if it was taken before. Never raises: whatever a
    message holds, the reader goes on to the next."""
    try:
        return _mail_take(message)
    except Exception as failure:  # noqa: BLE001 - one bad message must never stop the mailbox
        logger.warning("mailbox: message refused: %s", failure)
        return _record_only(message, MailOutcome.REFUSED, f"{failure.__class__.__name__}: {failure}"[:2000])


def _mail_take(message: Message) -> str | None:
    message_id = _message_id(message)
    if InboundMail.objects.filter(message_id=message_id).exists():
        return None
    if (why := _automatic(message)) is not None:
        return _record_only(message, MailOutcome.IGNORED, why)
    if SEALED_IN_SUBJECT.search(_header(message, "Subject")):
        return _record_only(message, MailOutcome.REFUSED, "corruption reports are not taken by email: the sealed page")
    try:
        with transaction.atomic():
            record = InboundMail.objects.create(message_id=message_id, sender=_storable(_sender(message)[1])[:254],
                                                subject=_storable(_header(message, "Subject"))[:300],
                                                outcome=MailOutcome.CASE)
            _take(message, record)
            record.save()
            return record.outcome
    except IntegrityError:
        return None  # another reader took it at the same moment


def _take(message: Message, record: InboundMail) -> None:
    name, address = _sender(message)
    name, subject, body = _storable(name), _storable(_header(message, "Subject")), _storable(_body(message))
    if (match := TRACKING_IN_SUBJECT.search(subject)) and address:
        tracking = tracking_number_parse("".join(match.groups()))
        if tracking and Case.objects.filter(tracking_number=tracking).exists():
            try:
                with transaction.atomic():
                    citizen_message_by_email(tracking=tracking, sender=address, message=body[:DESCRIPTION_MAX],
                                             channel=Channel.EMAIL)
                record.outcome, record.case = MailOutcome.MESSAGE, Case.objects.get(tracking_number=tracking)
                return
            except ApplicationError as refusal:
                # Another address, or a closed case: a case of its own, which staff may merge.
                record.detail = f"not added to {tracking}: {refusal.message}"
    title = (subject or next((line for line in body.splitlines() if line.strip()), "") or "อีเมลถึงสำนักงาน")[:200]
    receipt = case_submit(kind=Kind.COMPLAINT, category_code=settings.MAILBOX_CATEGORY, channel=Channel.EMAIL,
                          title=title.strip(), description=(body.strip() or title)[:DESCRIPTION_MAX],
                          contact={"name": name[:200], "email": address[:254]}, anonymous=not address,
                          source={"message_id": record.message_id[:200]})
    record.case = receipt.case
    left_out = _attachments(message, receipt.case)
    if left_out:
        record.detail = "\n".join(filter(None, [record.detail, *left_out]))
        case_change_record(receipt.case, type="note", actor_kind=ActorKind.SYSTEM, visibility=Visibility.INTERNAL,
                           data={"text": "Files of the email not attached: " + "; ".join(left_out)})


def _attachments(message: Message, case: Case) -> list[str]:
    """Store the message's files that pass the attachment checks; the others, with why, for the record."""
    left_out = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() not in ("attachment", "inline"):
            continue
        filename = part.get_filename()
        if not filename:
            continue
        payload = part.get_payload(decode=True) or b""
        try:
            checked = attachment_checked(SimpleUploadedFile(filename[:200], payload))
        except ApplicationError as refusal:
            left_out.append(f"{filename[:100]}: {refusal.message}")
            continue
        attachment_store(case=case, checked=checked, actor_kind=ActorKind.CITIZEN)
    return left_out


def _automatic(message: Message) -> str | None:
    """Why a message is an automatic reply or a delivery report (RFC 3834, RFC 3464), or None."""
    if (message.get("Auto-Submitted") or "no").strip().lower() != "no":
        return f"Auto-Submitted: {message.get('Auto-Submitted')}"
    if message.get_content_type() == "multipart/report":
        return "a delivery status report"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "an automatic reply"
    if (message.get("Precedence") or "").strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {message.get('Precedence')}"
    if _sender(message)[1].split("@")[0].lower() in AUTOMATIC_SENDERS:
        return "sent by a mail system"
    return None


def _header(message: Message, name: str) -> str:
    raw = message.get(name) or ""
    try:
        return str(make_header(decode_header(raw))).strip()
    except (LookupError, UnicodeDecodeError, ValueError):
        return str(raw).strip()


def _sender(message: Message) -> tuple[str, str]:
    """The From header's display name and address, parsed strictly (RFC 5322, the standard library's modern policy):
    a header with a defect or more than one address gives no address, so a name made to look like an address
    (``victim@example.com <attacker@...>``, or the same as an encoded-word) is never taken for it. Reply-To is never
    read."""
    try:
        unfolded = re.sub(r"\r?\n[ \t]*", " ", str(message.get("From") or "")).strip()  # a long header is folded
        header = policy.default.header_factory("from", unfolded)
        addresses = header.addresses
    except Exception:  # noqa: BLE001 - a header the parser cannot read gives no sender
        return "", ""
    if header.defects or len(addresses) != 1 or "@" not in addresses[0].addr_spec:
        return "", ""
    return addresses[0].display_name.strip(), addresses[0].addr_spec.strip()


def _body(message: Message) -> str:
    """The message's text: its plain-text part, else its HTML part without tags."""
    plain, html = [], []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/plain":
            plain.append(_decoded(part))
        elif part.get_content_type() == "text/html":
            html.append(strip_tags(_decoded(part)))
    text = "\n".join(plain) if plain else "\n".join(html)
    return text.replace("\x00", "").replace("\r\n", "\n").strip()


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    declared = part.get_content_charset()
    for charset in ((declared,) if declared else ()) + FALLBACK_CHARSETS:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", "replace")
