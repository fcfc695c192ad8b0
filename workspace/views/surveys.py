"""The workspace's survey pages (docs/participation.md, "Surveys"): building a survey, its invitation links, its
results with the review of free-text answers, and their export. Thin views over workflows.surveys and core.surveys."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError, NotFound, ValidationFailed
from core.models import StakeholderGroup, Survey
from core.surveys import survey_results, survey_results_csv
from workflows.surveys import (
    may_manage_surveys,
    survey_create,
    survey_invitations_create,
    survey_question_add,
    survey_question_remove,
    survey_text_review,
)
from workspace.access import staff_page
from workspace.participation_forms import InvitationsForm, SurveyCreateForm, SurveyQuestionForm
from workspace.views.errors import errors_onto_form, not_found, refusal


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def survey_list(request):
    if not may_manage_surveys(request.user):
        return not_found(request)
    groups = list(StakeholderGroup.objects.all())
    form = SurveyCreateForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_create(actor=request.user, **form.cleaned_data)
        except ValidationFailed as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The survey was created; add its questions."))
            return redirect("workspace:survey", code=survey.code)
    return render(request, "workspace/surveys/list.html", {
        "surveys": Survey.objects.all()[:100], "form": form, "nav": "surveys"}, status=400 if form.errors else 200)


def _render(request, survey: Survey, *, question_form=None, invitations_form=None, tokens=(), status=200):
    groups = list(StakeholderGroup.objects.all())
    return render(request, "workspace/surveys/survey.html", {
        "survey": survey, "questions": list(survey.questions.all()), "has_responses": survey.responses.exists(),
        "question_form": question_form or SurveyQuestionForm(),
        "invitations_form": invitations_form or InvitationsForm(groups=groups),
        "invitation_links": [request.build_absolute_uri(f"/surveys/{survey.code}/?invitation={token}")
                             for token in tokens],
        "results": survey_results(survey, reviewing=True, unstated=_("not stated")), "reviewing": True,
        "nav": "surveys"}, status=status)


def _survey(request, code: str) -> Survey | None:
    if not may_manage_surveys(request.user):
        return None
    return Survey.objects.filter(code=code).first()


@staff_page
@require_http_methods(["GET", "HEAD"])
def survey_page(request, code: str):
    survey = _survey(request, code)
    return _render(request, survey) if survey else not_found(request)


@staff_page
@require_POST
def question_add(request, code: str):
    survey = _survey(request, code)
    if survey is None:
        return not_found(request)
    form = SurveyQuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            survey_question_add(actor=request.user, survey_code=code, kind=data["kind"], text_th=data["text_th"],
                                text_en=data["text_en"], choices=form.parsed_choices(), required=data["required"])
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:
            refusal(request, error)
            return redirect("workspace:survey", code=code)
        else:
            messages.success(request, _("The question was added."))
            return redirect("workspace:survey", code=code)
    return _render(request, survey, question_form=form, status=400)


@staff_page
@require_POST
def question_remove(request, code: str, question_id: int):
    try:
        survey_question_remove(actor=request.user, survey_code=code, question_id=question_id)
    except NotFound:
        return not_found(request)
    except ApplicationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The question was removed."))
    return redirect("workspace:survey", code=code)


@staff_page
@require_POST
def invitations(request, code: str):
    survey = _survey(request, code)
    if survey is None:
        return not_found(request)
    form = InvitationsForm(request.POST, groups=list(StakeholderGroup.objects.all()))
    if form.is_valid():
        try:
            tokens = survey_invitations_create(actor=request.user, survey_code=code, count=form.cleaned_data["count"],
                                               group=form.cleaned_data["group"])
        except ValidationFailed as error:
            errors_onto_form(form, error)
        else:
            # Shown this once: only their keyed hashes are kept.
            response = _render(request, survey, tokens=tokens)
            response["Cache-Control"] = "no-store"
            return response
    return _render(request, survey, invitations_form=form, status=400)


@staff_page
@require_POST
def review(request, code: str, answer_id: int):
    try:
        survey_text_review(actor=request.user, answer_id=answer_id, review=request.POST.get("review", ""))
    except NotFound:
        return not_found(request)
    except ApplicationError as error:
        refusal(request, error)
    return redirect("workspace:survey", code=code)


@staff_page
@require_http_methods(["GET", "HEAD"])
def export(request, code: str):
    survey = _survey(request, code)
    if survey is None:
        return not_found(request)
    response = HttpResponse(survey_results_csv(survey_results(survey, reviewing=False, unstated=_("not stated"))),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.code}.csv"'
    return response
