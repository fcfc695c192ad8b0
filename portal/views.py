"""The citizen portal: thin views over the same services as the public API (DESIGN §1, §9).

The access key never rests on the server in plain text: the receipt reaches the next page in a
short-lived signed cookie that the receipt page deletes, and a key entered on a case's page is kept
in a signed cookie scoped to that case's path until the browser closes.
"""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.choices import FINAL_STATUSES, Channel, Kind, Status
from core.errors import ApplicationError, NotFound, ValidationFailed
from core.models import Case
from core.selectors import case_citizen_messages, case_get_public, case_public_timeline, public_status
from core.tracking import access_key_matches, tracking_number_parse
from portal import forms, selectors
from portal.throttles import ACCESS_KEY, INTAKE, LOOKUP, throttle_wait
from workflows.citizen import citizen_case_submit, citizen_feedback_give, citizen_message_add

RECEIPT_COOKIE = "rabfang_receipt"
RECEIPT_MAX_AGE = 600
KEY_COOKIE = "rabfang_key"
FIELD_OF_SERVICE_ERROR = {"category": "category", "file": "files", "title": "title", "description": "description"}


def throttled(request: HttpRequest, wait: float) -> HttpResponse:
    response = render(request, "portal/throttled.html", {"wait_minutes": max(1, round(wait / 60))}, status=429)
    response["Retry-After"] = str(int(wait) + 1)
    return response


@require_GET
def home(request):
    office = selectors.office_published()
    return render(request, "portal/home.html", {
        "office": office, "channels": selectors.channels_published(office), "promises": selectors.kind_promises(),
    })


@require_http_methods(["GET", "POST"])
def submit(request):
    initial = {"kind": request.GET.get("kind") if request.GET.get("kind") in (Kind.COMPLAINT, Kind.SUGGESTION)
               else Kind.COMPLAINT}
    return _intake_page(request, forms.CaseForm, "portal/submit.html", initial, sealed=False)


@require_http_methods(["GET", "POST"])
def corruption(request):
    return _intake_page(request, forms.CorruptionForm, "portal/corruption.html", {"identity": "anonymous"},
                        sealed=True)


def _intake_page(request, form_class, template: str, initial: dict, *, sealed: bool):
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if (wait := throttle_wait(request, INTAKE)) is not None:
            return throttled(request, wait)
        if form.is_valid():
            try:
                receipt = citizen_case_submit(channel=Channel.WEB, language=get_language() or "th",
                                              **form.submission())
            except ValidationFailed as error:
                _errors_onto_form(form, error)
            else:
                response = redirect("portal:receipt")
                response.set_signed_cookie(
                    RECEIPT_COOKIE, signing.dumps({"tracking": receipt.case.tracking_number, "key": receipt.access_key}),
                    salt=RECEIPT_COOKIE, max_age=RECEIPT_MAX_AGE, path=reverse("portal:receipt"), httponly=True,
                    samesite="Strict", secure=request.is_secure())
                return response
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, "sealed": sealed, "max_files": settings.PORTAL_MAX_FILES,
                                      "max_megabytes": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
                                      "retention_years": settings.PERSONAL_DATA_RETENTION_YEARS}, status=status)


def _errors_onto_form(form, error: ValidationFailed) -> None:
    placed = False
    for field, problems in error.fields.items():
        if field in FIELD_OF_SERVICE_ERROR:
            for problem in problems:
                form.add_error(FIELD_OF_SERVICE_ERROR[field], problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


@require_GET
def receipt(request):
    """Shown once: the cookie that carried the access key is deleted by this very response."""
    try:
        carried = signing.loads(request.get_signed_cookie(RECEIPT_COOKIE, salt=RECEIPT_COOKIE, max_age=RECEIPT_MAX_AGE))
        case = case_get_public(tracking=carried["tracking"])
    except (KeyError, signing.BadSignature, NotFound, TypeError):
        messages.info(request, _("A receipt is shown only once. Look up your case with its tracking number."))
        return redirect("portal:track")
    # The QR code is printed and scanned later, maybe from elsewhere: the office's public address.
    path = reverse("portal:case", args=[case.tracking_number])
    status_url = settings.PUBLIC_BASE_URL + path if settings.PUBLIC_BASE_URL else request.build_absolute_uri(path)
    response = render(request, "portal/receipt.html", {
        "case": case, "access_key": carried["key"], "status_url": status_url,
        "kind_label": Kind(case.kind).label,
    })
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("portal:receipt"), samesite="Strict")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def track(request):
    form = forms.TrackForm(request.GET or None)
    if request.GET:
        if (wait := throttle_wait(request, LOOKUP)) is not None:
            return throttled(request, wait)
        if form.is_valid():
            return redirect("portal:case", tracking=form.cleaned_data["number"])
    return render(request, "portal/track.html", {"form": form}, status=400 if form.errors else 200)


def _key_cookie_path(tracking: str) -> str:
    return reverse("portal:case", args=[tracking])


def _stored_key(request, case: Case) -> str | None:
    key = request.get_signed_cookie(KEY_COOKIE, default=None, salt=KEY_COOKIE + case.tracking_number)
    return key if access_key_matches(key, case.access_key_hash) else None


@require_http_methods(["GET", "POST"])
def case(request, tracking: str):
    """Status for anyone with the number; with the access key also the conversation and the forms."""
    if (wait := throttle_wait(request, LOOKUP)) is not None:
        return throttled(request, wait)
    canonical = tracking_number_parse(tracking)
    if canonical is None:
        return _not_found(request)
    if canonical != tracking:
        return redirect("portal:case", tracking=canonical)
    try:
        found = case_get_public(tracking=canonical)
    except NotFound:
        return _not_found(request)

    key_form = forms.AccessKeyForm(request.POST or None)
    if request.method == "POST":
        if (wait := throttle_wait(request, ACCESS_KEY)) is not None:
            return throttled(request, wait)
        if key_form.is_valid() and access_key_matches(key_form.cleaned_data["access_key"], found.access_key_hash):
            response = redirect("portal:case", tracking=canonical)
            # No max_age: the key is forgotten when the browser closes (a shared computer keeps nothing).
            response.set_signed_cookie(KEY_COOKIE, key_form.cleaned_data["access_key"],
                                       salt=KEY_COOKIE + canonical, path=_key_cookie_path(canonical), httponly=True,
                                       samesite="Strict", secure=request.is_secure())
            return response
        if key_form.is_valid():
            key_form.add_error("access_key", _("The access key does not match this case."))
    return _case_page(request, found, key_form=key_form, status=400 if key_form.errors else 200)


def _case_page(request, found: Case, *, key_form=None, message_form=None, feedback_form=None, status=200):
    key = _stored_key(request, found)
    shown_status = public_status(found, found.status)
    context = {
        "case": found,
        "kind_label": Kind(found.kind).label,
        "status_label": Status(shown_status).label,
        "timeline": [{"at": entry["at"], "label": Status(entry["status"]).label}
                     for entry in case_public_timeline(found)],
        "has_key": key is not None,
        "key_form": key_form or forms.AccessKeyForm(),
    }
    if key is not None:
        context.update({
            "conversation": case_citizen_messages(found),
            "waiting_for_citizen": found.status == Status.AWAITING_INFO,
            "can_add": found.status not in FINAL_STATUSES,
            "message_form": message_form or forms.MessageForm(),
            "can_rate": found.responded_at is not None and found.feedback_at is None,
            "feedback_form": feedback_form or forms.FeedbackForm(),
        })
    response = render(request, "portal/case.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _not_found(request) -> HttpResponse:
    return render(request, "portal/not_found.html", {"form": forms.TrackForm(),
                                                     "message": forms.not_found_message()}, status=404)


def _case_with_key(request, tracking: str) -> tuple[Case | None, str | None]:
    canonical = tracking_number_parse(tracking)
    if canonical is None:
        return None, None
    try:
        found = case_get_public(tracking=canonical)
    except NotFound:
        return None, None
    return found, _stored_key(request, found)


@require_POST
def case_message(request, tracking: str):
    return _with_key_action(request, tracking, forms.MessageForm, "message_form",
                            lambda found, key, data: citizen_message_add(
                                tracking=found.tracking_number, access_key=key, message=data["message"]),
                            _("Thank you. Your information has been added to the case."))


@require_POST
def case_feedback(request, tracking: str):
    return _with_key_action(request, tracking, forms.FeedbackForm, "feedback_form",
                            lambda found, key, data: citizen_feedback_give(
                                tracking=found.tracking_number, access_key=key, score=data["score"],
                                comment=data["comment"]),
                            _("Thank you for rating our answer."))


def _with_key_action(request, tracking, form_class, form_name, action, done_message):
    if (wait := throttle_wait(request, ACCESS_KEY)) is not None:
        return throttled(request, wait)
    found, key = _case_with_key(request, tracking)
    if found is None:
        return _not_found(request)
    if key is None:
        messages.error(request, _("Enter the access key from your receipt first."))
        return redirect("portal:case", tracking=found.tracking_number)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(found, key, form.cleaned_data)
        except ApplicationError as error:  # the case moved on (closed, already rated): say so on its page
            messages.error(request, error.message)
        else:
            messages.success(request, done_message)
        return redirect("portal:case", tracking=found.tracking_number)
    return _case_page(request, found, **{form_name: form}, status=400)


@require_POST
def case_forget(request, tracking: str):
    canonical = tracking_number_parse(tracking)
    if canonical is None:
        return _not_found(request)
    response = redirect("portal:case", tracking=canonical)
    response.delete_cookie(KEY_COOKIE, path=_key_cookie_path(canonical), samesite="Strict")
    return response
