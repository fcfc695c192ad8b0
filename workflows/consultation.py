"""Public consultations on co-decision items (docs/participation.md): the questions and documents staff publish,
the opinions citizens give while the window is open, moderation, and the themes staff summarise opinions into and
answer. Every write is a case event in the item's audit chain, taken under the item's row lock: an opinion and the
sweep that closes the window cannot both win, so no opinion lands after the close."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import ActorKind, Kind, Status, Visibility
from core.crypto import encrypt_json
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.models import Attachment, Case, ConsultationQuestion, Opinion, OpinionTheme, StakeholderGroup, Stance
from core.selectors import case_get_for_update
from core.tracking import opinion_number_new, tracking_number_parse
from workflows.changes import case_change_record
from workflows.permissions import works_case
from workflows.privacy import PRIVACY_NOTICE_VERSION

MAX_QUESTIONS = 10


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _item_for_staff(tracking: str, actor) -> Case:
    """The co-decision item, locked, if ``actor`` works it (its unit's heads, the director, its assignee)."""
    case = case_get_for_update(tracking=tracking, user=actor)
    if case.kind != Kind.CODECISION:
        raise Conflict(_("Consultations belong to co-decision items."))
    if not works_case(case, actor):
        raise PermissionDenied(_("Only the item's officer or a supervisor manages its consultation."))
    return case


def consultation_open_refusal(case: Case, now: datetime) -> str | None:
    """Why an opinion cannot be given now, or None while the window is open."""
    if case.status == Status.DRAFT or (case.status == Status.CONSULTATION and case.consultation_opens_at
                                       and now < case.consultation_opens_at):
        return _("The consultation has not opened yet.")
    if case.status != Status.CONSULTATION or (case.consultation_closes_at and now >= case.consultation_closes_at):
        return _("The consultation has closed; opinions are no longer taken.")
    return None


@transaction.atomic
def consultation_questions_set(*, tracking: str, actor, questions: list[dict[str, str]]) -> list[ConsultationQuestion]:
    """The questions the consultation asks (Thai, and English if given), replacing earlier ones, until the first
    opinion: after that the questions are what people answered and stay."""
    case = _item_for_staff(tracking, actor)
    if case.status not in (Status.DRAFT, Status.CONSULTATION):
        raise Conflict(_("The consultation has closed; its questions stay as they were asked."))
    if case.opinions.exists():
        raise Conflict(_("Opinions have been given: the questions stay as they were asked."))
    cleaned = [{"th": (q.get("th") or "").strip(), "en": (q.get("en") or "").strip()} for q in questions]
    cleaned = [q for q in cleaned if q["th"] or q["en"]]
    if len(cleaned) > MAX_QUESTIONS:
        raise _invalid("questions", _("At most %(count)d questions.") % {"count": MAX_QUESTIONS})
    if any(not q["th"] for q in cleaned):
        raise _invalid("questions", _("Every question needs its Thai wording."))
    if any(len(q["th"]) > 500 or len(q["en"]) > 500 for q in cleaned):
        raise _invalid("questions", _("A question is at most 500 characters."))
    case.consultation_questions.all().delete()
    saved = ConsultationQuestion.objects.bulk_create([
        ConsultationQuestion(case=case, position=position, text_th=q["th"], text_en=q["en"])
        for position, q in enumerate(cleaned)])
    case_change_record(case, updates={"updated_at": timezone.now()}, type="consultation_questions", actor=actor,
                       actor_kind=ActorKind.STAFF, data={"questions": cleaned}, visibility=Visibility.INTERNAL)
    return saved


@transaction.atomic
def consultation_document_publish(*, tracking: str, actor, attachment_id: int, public: bool) -> Attachment:
    """Offer one of the item's attachments on its public page as a consultation document, or withdraw it."""
    case = _item_for_staff(tracking, actor)
    attachment = Attachment.objects.filter(pk=attachment_id, case=case).first()
    if attachment is None:
        raise NotFound(_("This item has no such attachment."))
    if attachment.public != public:
        attachment.public = public
        attachment.save(update_fields=["public"])
        case_change_record(case, updates={"updated_at": timezone.now()}, type="document_published" if public
                           else "document_withdrawn", actor=actor, actor_kind=ActorKind.STAFF,
                           data={"attachment": attachment.pk, "name": attachment.original_name},
                           visibility=Visibility.INTERNAL)
    return attachment


@dataclass(frozen=True)
class OpinionInput:
    stance: str
    body: str
    answers: dict[int, str]
    group: str = ""  # a stakeholder group's code, as the citizen describes themselves
    contact: dict[str, str] | None = None  # name, email, phone
    consent: bool = False
    language: str = "th"


@transaction.atomic
def opinion_submit(*, tracking: str, opinion: OpinionInput, now: datetime | None = None) -> Opinion:
    """A citizen's opinion, with its own tracking number. Refused (409) outside the window; contact details only
    with the personal-data consent."""
    now = now or timezone.now()
    canonical = tracking_number_parse(tracking)
    case = case_get_for_update(tracking=canonical or "-")
    if case.kind != Kind.CODECISION or case.status == Status.DRAFT:  # a draft is not public: not even its existence
        raise NotFound(_("No consultation has this number."))
    if (refusal := consultation_open_refusal(case, now)) is not None:
        raise Conflict(refusal)
    fields = _opinion_fields(case, opinion)
    record = None
    for _attempt in range(3):  # 55 random bits: a collision is all but impossible, but never an error page
        try:
            with transaction.atomic():
                record = Opinion.objects.create(case=case, tracking_number=opinion_number_new(), submitted_at=now,
                                                language=opinion.language if opinion.language in ("th", "en") else "th",
                                                **fields)
            break
        except IntegrityError:
            continue
    data = {"opinion": record.tracking_number, "stance": record.stance}
    if record.consent_at:  # the personal-data notice the citizen accepted, as a case's first event records it
        data["consent"] = {"notice_version": PRIVACY_NOTICE_VERSION, "at": record.consent_at.isoformat()}
    case_change_record(case, updates={"updated_at": now}, type="opinion", actor_kind=ActorKind.CITIZEN, at=now,
                       data=data, visibility=Visibility.INTERNAL)
    return record


def _opinion_fields(case: Case, opinion: OpinionInput) -> dict[str, Any]:
    if opinion.stance not in Stance.values:
        raise _invalid("stance", _("Please choose one."))
    body = (opinion.body or "").strip()
    if not body:
        raise _invalid("body", _("Please fill in this field."))
    if len(body) > 5_000:
        raise _invalid("body", _("Please shorten this to at most 5000 characters."))
    questions = set(case.consultation_questions.values_list("pk", flat=True))
    answers = {int(key): (text or "").strip() for key, text in opinion.answers.items()}
    if set(answers) - questions:
        raise _invalid("answers", _("Answer only the questions this consultation asks."))
    if any(len(text) > 2_000 for text in answers.values()):
        raise _invalid("answers", _("An answer is at most 2000 characters."))
    group = None
    if opinion.group:
        group = StakeholderGroup.objects.filter(code=opinion.group).first()
        if group is None:
            raise _invalid("group", _("Choose one of the groups listed."))
    contact = {key: (value or "").strip() for key, value in (opinion.contact or {}).items() if (value or "").strip()}
    if contact and not opinion.consent:
        raise _invalid("consent", _("Please read and accept the personal data notice to leave your contact details."))
    return {"stance": opinion.stance, "body": body, "answers": {str(k): v for k, v in answers.items() if v},
            "group": group, "contact_encrypted": encrypt_json(contact) if contact else "",
            "consent_at": timezone.now() if contact else None}


def _opinion_for_staff(number: str, actor) -> tuple[Case, Opinion]:
    canonical = tracking_number_parse(number)
    opinion = Opinion.objects.filter(tracking_number=canonical or "-").select_related("case").first()
    if opinion is None:
        raise NotFound(_("No opinion has this number."))
    case = _item_for_staff(opinion.case.tracking_number, actor)
    return case, Opinion.objects.select_for_update().get(pk=opinion.pk)


def opinions_for(case: Case, user) -> list[Opinion]:
    """Every opinion on the item for a reader of it. A hidden opinion's words (hidden, perhaps, for the personal data
    in them) stay with those who moderate: anyone else reads that it was hidden and why."""
    opinions = list(case.opinions.select_related("group", "theme"))
    if not works_case(case, user):
        for opinion in opinions:
            if opinion.hidden_at is not None:
                opinion.body, opinion.answers = "", {}
    return opinions


@transaction.atomic
def opinion_hide(*, number: str, actor, reason: str) -> Opinion:
    """Hide an opinion from the public page and the public API (abuse, personal data, off topic), with the reason;
    it is kept, counted as received, and the event says who hid it and why."""
    case, opinion = _opinion_for_staff(number, actor)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("Please fill in this field."))
    if len(reason) > 500:
        raise _invalid("reason", _("Please shorten this to at most 500 characters."))
    if opinion.hidden_at is not None:
        raise Conflict(_("This opinion is already hidden."))
    now = timezone.now()
    opinion.hidden_at, opinion.hidden_reason = now, reason
    opinion.save(update_fields=["hidden_at", "hidden_reason"])
    case_change_record(case, updates={"updated_at": now}, type="opinion_hidden", actor=actor,
                       actor_kind=ActorKind.STAFF, at=now, data={"opinion": opinion.tracking_number, "reason": reason},
                       visibility=Visibility.INTERNAL)
    return opinion


@transaction.atomic
def theme_save(*, tracking: str, actor, title: str, answer: str = "", theme_id: int | None = None,
               opinions: list[str] | None = None) -> OpinionTheme:
    """A theme the opinions raise, in the office's words, with the office's answer (public once answered), and the
    opinions (by number) it gathers. Each opinion belongs to one theme at most."""
    case = _item_for_staff(tracking, actor)
    title, answer = (title or "").strip(), (answer or "").strip()
    if not title:
        raise _invalid("title", _("Please fill in this field."))
    if len(title) > 300:
        raise _invalid("title", _("Please shorten this to at most 300 characters."))
    if len(answer) > 5_000:
        raise _invalid("answer", _("Please shorten this to at most 5000 characters."))
    theme = OpinionTheme(case=case, position=case.opinion_themes.count())
    if theme_id is not None:
        theme = OpinionTheme.objects.filter(pk=theme_id, case=case).first()
        if theme is None:
            raise NotFound(_("This item has no such theme."))
    numbers = [tracking_number_parse(number) or number for number in (opinions or [])]
    gathered = list(Opinion.objects.filter(case=case, tracking_number__in=numbers))
    if len(gathered) != len(set(numbers)):
        raise _invalid("opinions", _("Name opinions given on this item."))
    now = timezone.now()
    answered_now = bool(answer) and answer != theme.answer
    theme.title, theme.answer = title, answer
    theme.answered_at = (now if answered_now else theme.answered_at) if answer else None
    theme.save()
    if opinions is not None:
        Opinion.objects.filter(theme=theme).exclude(pk__in=[o.pk for o in gathered]).update(theme=None)
        Opinion.objects.filter(pk__in=[o.pk for o in gathered]).update(theme=theme)
    # Answering a theme is news for the item's followers (workflows.notify): "you said, we answered".
    case_change_record(case, updates={"updated_at": now}, type="theme_answered" if answered_now else "theme",
                       actor=actor, actor_kind=ActorKind.STAFF, at=now,
                       data={"theme": theme.pk, "title": title, "opinions": sorted(o.tracking_number for o in gathered),
                             **({"message": answer} if answered_now else {})},
                       visibility=Visibility.PUBLIC if answered_now else Visibility.INTERNAL)
    return theme
