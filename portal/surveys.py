"""The portal's satisfaction surveys (docs/participation.md, "Surveys"): the surveys open now, answering one (with an
invitation link where the survey asks for one), and the results of a survey that has closed. Thin views over
core.surveys (reads) and workflows.surveys (writes)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import StakeholderGroup, Survey
from core.surveys import survey_results, surveys_closed, surveys_open
from core.throttle import SURVEY, throttle_wait
from portal import forms
from portal.views import throttled
from workflows.surveys import survey_form_token, survey_open_refusal, survey_respond


@require_safe
def survey_list(request):
    return render(request, "portal/surveys/list.html", {"open": surveys_open(), "closed": surveys_closed()})


def _groups(survey: Survey):
    chosen = list(survey.groups.all())
    return chosen or list(StakeholderGroup.objects.all())


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, code: str):
    found = Survey.objects.filter(code=code).first()
    if found is None:
        return render(request, "portal/error.html", {"status": 404}, status=404)
    refusal = survey_open_refusal(found, timezone.now())
    invitation = request.POST.get("invitation") or request.GET.get("invitation", "")
    form = forms.SurveyForm(request.POST or None, survey=found, groups=_groups(found),
                            initial={"form_token": survey_form_token(found), "invitation": invitation[:64]})
    status = 200
    if request.method == "POST":
        if refusal is not None:
            status = 409
        elif (wait := throttle_wait(request, SURVEY)) is not None:
            return throttled(request, wait)
        else:
            status = _respond(found, form)
            if status is None:
                messages.success(request, _("Thank you. Your answers have been recorded, without your name."))
                return redirect("portal:surveys")
            # A fresh token for the next try: the one sent may be spent or expired.
            form.data = form.data.copy()
            form.data["form_token"] = survey_form_token(found)
    response = render(request, "portal/surveys/survey.html", {"survey": found, "form": form, "refusal": refusal},
                      status=status)
    response["Cache-Control"] = "no-store"  # the page carries a one-time token
    return response


def _respond(found: Survey, form) -> int | None:
    """Record the response: None when recorded, else the status of the page that shows why not."""
    if not form.is_valid():
        return 400
    try:
        survey_respond(code=found.code, answers=form.answers(), group=form.cleaned_data["group"],
                       form_token=form.cleaned_data["form_token"], invitation=form.cleaned_data["invitation"])
    except ValidationFailed as error:
        for field, problems in error.fields.items():
            for problem in problems:
                form.add_error(field if field in form.fields and field != "form_token" else None, problem)
        return 400
    except (Conflict, PermissionDenied) as error:
        form.add_error(None, error.message)
        return 409 if isinstance(error, Conflict) else 403
    return None


@require_safe
def results(request, code: str) -> HttpResponse:
    found = Survey.objects.filter(code=code, closes_at__lte=timezone.now()).first()
    if found is None:
        return render(request, "portal/error.html", {"status": 404}, status=404)
    return render(request, "portal/surveys/results.html", {
        "results": survey_results(found, unstated=_("not stated")), "survey": found})
