"""The public's participation pages (docs/participation.md): open and past consultations, an item's page with its
opinion and follow forms, an opinion's status by its number, the "you said, we did" board, and stopping to follow.
Thin views over core.consultations (reads) and workflows.consultation / workflows.follow_up (writes)."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.consultations import board_entries, consultations_public, item_public, opinion_public, public_document
from core.errors import Conflict, NotFound, ValidationFailed
from core.models import StakeholderGroup
from core.throttle import INTAKE, LOOKUP, throttle_wait
from core.tracking import tracking_number_parse
from portal import forms
from portal.views import throttled
from workflows.consultation import consultation_open_refusal, opinion_submit
from workflows.follow_up import follow_start, follow_stop

OPINION_FIELDS = {"stance": "stance", "body": "body", "group": "group", "consent": "consent"}


@require_safe
def consultations(request):
    is_open, past = consultations_public()
    return render(request, "portal/participation/list.html", {"open": is_open, "past": past})


@require_safe
def board(request):
    return render(request, "portal/participation/board.html", {"entries": board_entries()})


def _item_page(request, tracking: str, *, opinion_form=None, follow_form=None, status: int = 200) -> HttpResponse:
    view = item_public(tracking)
    refusal = consultation_open_refusal(view.case, timezone.now())
    return render(request, "portal/participation/item.html", {
        "view": view, "case": view.case, "refusal": refusal,
        "opinion_form": opinion_form or _opinion_form(view), "follow_form": follow_form or forms.FollowForm(),
    }, status=status)


def _opinion_form(view, data=None) -> forms.OpinionForm:
    return forms.OpinionForm(data, questions=view.questions, groups=StakeholderGroup.objects.all(), prefix="opinion")


@require_safe
def item(request, tracking: str):
    canonical = tracking_number_parse(tracking)
    if canonical is not None and canonical != tracking:
        return redirect("portal:participation-item", tracking=canonical)
    try:
        return _item_page(request, tracking)
    except NotFound:
        return _not_found(request)


@require_POST
def opinion(request, tracking: str):
    if (wait := throttle_wait(request, INTAKE)) is not None:
        return throttled(request, wait)
    try:
        view = item_public(tracking)
    except NotFound:
        return _not_found(request)
    form = _opinion_form(view, request.POST)
    if form.is_valid():
        try:
            given = opinion_submit(tracking=view.case.tracking_number, opinion=form.opinion(get_language() or "th"))
        except ValidationFailed as error:
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(OPINION_FIELDS.get(field), problem)
        except Conflict as error:  # the window closed while they wrote
            form.add_error(None, error.message)
            return _item_page(request, tracking, opinion_form=form, status=409)
        else:
            messages.success(request, _("Thank you. Your opinion has been received."))
            return redirect("portal:opinion", number=given.tracking_number)
    return _item_page(request, tracking, opinion_form=form, status=400)


@require_POST
def follow(request, tracking: str):
    if (wait := throttle_wait(request, INTAKE)) is not None:
        return throttled(request, wait)
    form = forms.FollowForm(request.POST)
    try:
        if form.is_valid():
            try:
                follow_start(tracking=tracking, email=form.cleaned_data["email"], consent=form.cleaned_data["consent"],
                             language=get_language() or "th")
            except ValidationFailed as error:
                for field, problems in error.fields.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("You follow this item. We have sent a confirmation to your email."))
                return redirect("portal:participation-item", tracking=tracking)
        return _item_page(request, tracking, follow_form=form, status=400)
    except NotFound:
        return _not_found(request)


@require_safe
def document(request, tracking: str, document_id: int):
    try:
        found = public_document(tracking, document_id)
    except NotFound:
        return _not_found(request)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name,
                        content_type=found.content_type)


@require_safe
def opinion_status(request, number: str):
    if (wait := throttle_wait(request, LOOKUP)) is not None:
        return throttled(request, wait)
    canonical = tracking_number_parse(number)
    if canonical is not None and canonical != number:
        return redirect("portal:opinion", number=canonical)
    try:
        found = opinion_public(number)
    except NotFound:
        return _not_found(request)
    response = render(request, "portal/participation/opinion.html", {"opinion": found, "case": found.case})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def unfollow(request, token: str):
    """GET asks (mail scanners open links); POST stops."""
    if request.method == "POST":
        try:
            follower = follow_stop(token=token)
        except NotFound:
            return _not_found(request)
        messages.success(request, _("You no longer follow this item. Your email address has been removed."))
        return redirect("portal:participation-item", tracking=follower.case.tracking_number)
    return render(request, "portal/participation/unfollow.html", {})


def _not_found(request) -> HttpResponse:
    return render(request, "portal/error.html", {"status": 404}, status=404)
