"""Satisfaction surveys (seed 3.5; docs/participation.md, "Surveys"): built by the director, administrators and unit
heads, answered on the portal without an account. Anonymous by design: a response keeps its stakeholder group and its
day, nothing else about who sent it. A form's one-time token and an invitation link are each spent by one response
(unique keyed hashes in the database, so two sends of one form cannot both land); the portal also throttles
responses per address (``THROTTLE_PUBLIC_SURVEY``)."""

import secrets
from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import staff_profile
from core.choices import Role
from core.config_changes import config_log
from core.crypto import keyed_hash
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.models import (
    QuestionKind,
    StakeholderGroup,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveySubject,
    TextReview,
)
from core.validators import storable_text

FORM_SALT = "rabfang.survey-form"
FORM_MAX_AGE = 6 * 3600  # a form left open longer is reloaded (its token has expired)
MAX_QUESTIONS, MAX_CHOICES, MAX_INVITATIONS = 30, 10, 500


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def may_manage_surveys(user) -> bool:
    profile = staff_profile(user)
    return profile.is_director or profile.is_head or Role.ADMIN in profile.roles


def _check(actor) -> None:
    if not may_manage_surveys(actor):
        raise PermissionDenied(_("Surveys are built by the director, unit heads and administrators."))


def _survey(code: str) -> Survey:
    survey = Survey.objects.filter(code=code).first()
    if survey is None:
        raise NotFound(_("No survey has this code."))
    return survey


@transaction.atomic
def survey_create(*, actor, code: str, title_th: str, subject: str, opens_at: datetime, closes_at: datetime,
                  title_en: str = "", description_th: str = "", description_en: str = "",
                  groups: list[str] = (), invitation_only: bool = False) -> Survey:
    _check(actor)
    if Survey.objects.filter(code=code).exists():
        raise _invalid("code", _("Another survey has this code."))
    if not (title_th or "").strip():
        raise _invalid("title_th", _("Please fill in this field."))
    if subject not in SurveySubject.values:
        raise _invalid("subject", _("Please choose one."))
    if closes_at <= opens_at:
        raise _invalid("closes_at", _("The survey must close after it opens."))
    chosen = list(StakeholderGroup.objects.filter(code__in=groups))
    if len(chosen) != len(set(groups)):
        raise _invalid("groups", _("Choose one of the groups listed."))
    survey = Survey.objects.create(code=code, title_th=title_th.strip(), title_en=title_en.strip(),
                                   description_th=description_th.strip(), description_en=description_en.strip(),
                                   subject=subject, opens_at=opens_at, closes_at=closes_at,
                                   invitation_only=invitation_only, created_by=actor, created_at=timezone.now())
    survey.groups.set(chosen)
    config_log(actor=actor, instance=survey, action="create", before=None,
               after={"code": code, "title_th": survey.title_th, "subject": subject, "opens_at": opens_at.isoformat(),
                      "closes_at": closes_at.isoformat(), "groups": sorted(groups),
                      "invitation_only": invitation_only})
    return survey


@transaction.atomic
def survey_question_add(*, actor, survey_code: str, kind: str, text_th: str, text_en: str = "",
                        choices: list[dict[str, str]] = (), required: bool = True) -> SurveyQuestion:
    """A question, until the first response (after that the questions are what people answered)."""
    _check(actor)
    survey = Survey.objects.select_for_update().filter(code=survey_code).first()
    if survey is None:
        raise NotFound(_("No survey has this code."))
    if survey.responses.exists():
        raise Conflict(_("The survey has responses: its questions stay as they were asked."))
    if survey.questions.count() >= MAX_QUESTIONS:
        raise Conflict(_("A survey has at most %(count)d questions.") % {"count": MAX_QUESTIONS})
    if kind not in QuestionKind.values:
        raise _invalid("kind", _("Please choose one."))
    if not (text_th or "").strip():
        raise _invalid("text_th", _("Please fill in this field."))
    choices = [{"th": (c.get("th") or "").strip(), "en": (c.get("en") or "").strip()} for c in choices]
    choices = [c for c in choices if c["th"]]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and not 2 <= len(choices) <= MAX_CHOICES:
        raise _invalid("choices", _("Give from 2 to %(count)d choices, one per line.") % {"count": MAX_CHOICES})
    if kind in (QuestionKind.SCALE, QuestionKind.TEXT):
        choices = []
    question = SurveyQuestion.objects.create(survey=survey, position=survey.questions.count(), kind=kind,
                                             text_th=text_th.strip()[:500], text_en=(text_en or "").strip()[:500],
                                             choices=choices, required=required)
    config_log(actor=actor, instance=question, action="create", before=None,
               after={"survey": survey.code, "kind": kind, "text_th": question.text_th, "choices": choices})
    return question


@transaction.atomic
def survey_question_remove(*, actor, survey_code: str, question_id: int) -> None:
    _check(actor)
    survey = Survey.objects.select_for_update().filter(code=survey_code).first()
    question = SurveyQuestion.objects.filter(pk=question_id, survey=survey).first() if survey else None
    if question is None:
        raise NotFound(_("No such question."))
    if survey.responses.exists():
        raise Conflict(_("The survey has responses: its questions stay as they were asked."))
    config_log(actor=actor, instance=question, action="delete", before={"text_th": question.text_th}, after=None)
    question.delete()


@transaction.atomic
def survey_invitations_create(*, actor, survey_code: str, count: int, group: str = "") -> list[str]:
    """``count`` invitation links' tokens for ``group``: shown once (only their keyed hashes are kept), each good for
    one response."""
    _check(actor)
    survey = _survey(survey_code)
    if not isinstance(count, int) or not 1 <= count <= MAX_INVITATIONS:
        raise _invalid("count", _("From 1 to %(count)d at a time.") % {"count": MAX_INVITATIONS})
    chosen = None
    if group:
        chosen = StakeholderGroup.objects.filter(code=group).first()
        if chosen is None:
            raise _invalid("group", _("Choose one of the groups listed."))
    tokens = [secrets.token_urlsafe(18) for _n in range(count)]
    now = timezone.now()
    SurveyInvitation.objects.bulk_create([SurveyInvitation(survey=survey, group=chosen, token_hash=keyed_hash(token),
                                                           created_at=now) for token in tokens])
    config_log(actor=actor, instance=survey, action="update", before=None,
               after={"invitations": count, "group": group})
    return tokens


def survey_form_token(survey: Survey) -> str:
    """A one-time token for one form: signed (so it cannot be made up) and spent by the response it carries."""
    return signing.dumps({"s": survey.pk, "n": secrets.token_hex(8)}, salt=FORM_SALT)


def survey_open_refusal(survey: Survey, now: datetime) -> str | None:
    if now < survey.opens_at:
        return _("The survey has not opened yet.")
    if now >= survey.closes_at:
        return _("The survey has closed; thank you for your interest.")
    return None


@transaction.atomic
def survey_respond(*, code: str, answers: dict[int, object], form_token: str, group: str = "",
                   invitation: str = "", now: datetime | None = None) -> SurveyResponse:
    """One anonymous response. Refused, with nothing written: outside the survey's period (409), with a form token
    that is not this survey's or has expired (400) or was already spent (409), without an unused invitation where
    one is needed (403 / 409), or with an answer out of place (400)."""
    now = now or timezone.now()
    survey = _survey(code)
    if (refusal := survey_open_refusal(survey, now)) is not None:
        raise Conflict(refusal)
    try:
        signed = signing.loads(form_token or "", salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        raise _invalid("form_token", _("This form has expired. Please reload the page and answer again.")) from None
    if not isinstance(signed, dict) or signed.get("s") != survey.pk:
        raise _invalid("form_token", _("This form has expired. Please reload the page and answer again."))
    invited = None
    if invitation:
        invited = SurveyInvitation.objects.select_for_update().filter(survey=survey,
                                                                     token_hash=keyed_hash(invitation)).first()
        if invited is None:
            raise PermissionDenied(_("This invitation link is not valid for this survey."))
        if SurveyResponse.objects.filter(invitation=invited).exists():
            raise Conflict(_("This invitation has already been used to answer."))
    elif survey.invitation_only:
        raise PermissionDenied(_("This survey is answered through the invitation links the office sent."))
    chosen_group = invited.group if invited and invited.group_id else _group(survey, group)
    rows = _answers(survey, answers)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, group=chosen_group,
                                                     submitted_on=timezone.localdate(now),
                                                     form_token_hash=keyed_hash(form_token), invitation=invited)
    except IntegrityError:
        raise Conflict(_("This form has already been sent. Thank you.")) from None
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)
    return response


def _group(survey: Survey, code: str):
    if not code:
        return None
    group = StakeholderGroup.objects.filter(code=code).first()
    targeted = set(survey.groups.values_list("code", flat=True))
    if group is None or (targeted and code not in targeted):
        raise _invalid("group", _("Choose one of the groups listed."))
    return group


def _answers(survey: Survey, answers: dict[int, object]) -> list[SurveyAnswer]:
    questions = {question.pk: question for question in survey.questions.all()}
    if set(answers) - set(questions):
        raise _invalid("answers", _("Answer only this survey's questions."))
    rows = []
    for pk, question in questions.items():
        value = answers.get(pk)
        field = f"q{pk}"
        if value in (None, "", []):
            if question.required:
                raise _invalid(field, _("Please answer this question."))
            continue
        answer = SurveyAnswer(question=question)
        if question.kind == QuestionKind.SCALE:
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                raise _invalid(field, _("Choose from 1 to 5."))
            answer.scale = value
        elif question.kind == QuestionKind.SINGLE:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(question.choices):
                raise _invalid(field, _("Please choose one."))
            answer.chosen = [value]
        elif question.kind == QuestionKind.MULTIPLE:
            if (not isinstance(value, list) or any(
                    not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < len(question.choices)
                    for v in value) or len(set(value)) != len(value)):
                raise _invalid(field, _("Choose among the choices given."))
            answer.chosen = sorted(value)
        else:
            if not isinstance(value, str) or len(value.strip()) > 2_000:
                raise _invalid(field, _("At most 2000 characters."))
            if not storable_text(value):
                raise _invalid(field, _("The text holds characters that cannot be stored."))
            answer.text, answer.review = value.strip(), TextReview.PENDING
        rows.append(answer)
    return rows


@transaction.atomic
def survey_text_review(*, actor, answer_id: int, review: str) -> SurveyAnswer:
    """Show a free-text answer in the results, or keep it out (personal data, abuse, off topic)."""
    _check(actor)
    answer = SurveyAnswer.objects.select_for_update().filter(pk=answer_id).exclude(review="").first()
    if answer is None:
        raise NotFound(_("No such answer."))
    if review not in (TextReview.PUBLISHED, TextReview.HIDDEN):
        raise _invalid("review", _("Please choose one."))
    before = answer.review
    answer.review = review
    answer.save(update_fields=["review"])
    config_log(actor=actor, instance=answer, action="update", before={"review": before}, after={"review": review})
    return answer
