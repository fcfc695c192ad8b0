"""The citizen portal: thin views over the same services as the public API (docs/portal.md, docs/api.md).

The access key never rests in the database: the receipt waits for its page under a one-time token
(portal/receipts.py), and a key entered on a case's page is kept in the reader's browser, in an
encrypted HttpOnly cookie scoped to that case's path, until the browser closes.
"""

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.choices import FINAL_STATUSES, Channel, Kind, Status
from core.crypto import decrypt_json, encrypt_json
from core.errors import ApplicationError, NotFound, ValidationFailed
from core.models import Case
from core.selectors import PublicCaseStatus, case_citizen_messages, case_get_public
from core.throttle import ACCESS_KEY, INTAKE, LOOKUP, throttle_wait
from core.tracking import OPINION_PREFIX, access_key_matches, tracking_number_parse
from portal import forms, selectors
from portal.receipts import RECEIPT_SECONDS, receipt_hold, receipt_take
from workflows.answer_window import citizen_reopen, citizen_reopen_refusal
from workflows.citizen import (
    citizen_case_submit,
    citizen_feedback_give,
    citizen_feedback_refusal,
    citizen_message_add,
    citizen_message_refusal,
)

RECEIPT_COOKIE = "rabfang_receipt"
KEY_COOKIE = "rabfang_key"
FIELD_OF_SERVICE_ERROR = {"category": "category", "file": "files", "title": "title", "description": "description"}


def throttled(request: HttpRequest, wait: float) -> HttpResponse:
    response = render(request, "portal/throttled.html", {"wait_minutes": max(1, round(wait / 60))}, status=429)
    response["Retry-After"] = str(int(wait) + 1)
    return response


def _cookie_secure(request) -> bool:
    return request.is_secure() or settings.SESSION_COOKIE_SECURE


@require_safe
def home(request):
    office = selectors.office_published()
    return render(request, "portal/home.html", {
        "office": office, "channels": selectors.channels_published(office), "promises": selectors.kind_promises(),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request):
    initial = {"kind": request.GET.get("kind") if request.GET.get("kind") in (Kind.COMPLAINT, Kind.SUGGESTION)
               else Kind.COMPLAINT,
               # From a closed case's page: "submit a new case that continues this one".
               "follows": tracking_number_parse(request.GET.get("follows", "")) or ""}
    return _intake_page(request, forms.CaseForm, "portal/submit.html", initial, sealed=False)


@require_http_methods(["GET", "HEAD", "POST"])
def corruption(request):
    return _intake_page(request, forms.CorruptionForm, "portal/corruption.html", {"identity": "anonymous"},
                        sealed=True)


def _intake_page(request, form_class, template: str, initial: dict, *, sealed: bool):
    posted = request.method == "POST"
    form = form_class(request.POST, request.FILES, initial=initial) if posted else form_class(initial=initial)
    if posted:
        if (wait := throttle_wait(request, INTAKE)) is not None:
            return throttled(request, wait)
        if form.is_valid():
            try:
                receipt = citizen_case_submit(channel=Channel.WEB, language=get_language() or "th",
                                              **form.submission())
            except ValidationFailed as error:
                _errors_onto_form(form, error)
            else:
                held = receipt_hold(tracking=receipt.case.tracking_number, access_key=receipt.access_key)
                if held is None:  # no cache: show the receipt now rather than lose the key
                    return _receipt_page(request, receipt.case.tracking_number, receipt.access_key)
                response = redirect("portal:receipt")
                response.set_signed_cookie(RECEIPT_COOKIE, held, salt=RECEIPT_COOKIE, max_age=RECEIPT_SECONDS,
                                           path=reverse("portal:receipt"), httponly=True, samesite="Strict",
                                           secure=_cookie_secure(request))
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


@require_http_methods(["GET", "HEAD", "POST"])
def receipt(request):
    """Shown once. GET: the token from the submission's redirect. POST: the page's own language switch,
    with the token the page carries."""
    if request.method == "POST":
        held = receipt_take(request.POST.get("receipt"))
        language = request.POST.get("language")
        if held and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
    else:
        held = receipt_take(request.get_signed_cookie(RECEIPT_COOKIE, default=None, salt=RECEIPT_COOKIE,
                                                      max_age=RECEIPT_SECONDS))
    if held is None:
        messages.info(request, _("A receipt is shown only once. Look up your case with its tracking number."))
        return redirect("portal:track")
    response = _receipt_page(request, held["tracking"], held["key"])
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("portal:receipt"), samesite="Strict")
    if request.method == "POST":
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.LANGUAGE_CODE, samesite="Lax", httponly=True,
                            secure=_cookie_secure(request), max_age=settings.LANGUAGE_COOKIE_AGE)
    return response


def _receipt_page(request, tracking: str, access_key: str) -> HttpResponse:
    case = case_get_public(tracking=tracking)
    # The QR code is printed and scanned later, maybe from elsewhere: the office's public address if
    # one is configured, else the address this page was reached at.
    path = reverse("portal:case", args=[case.tracking_number])
    status_url = settings.PUBLIC_BASE_URL + path if settings.PUBLIC_BASE_URL else request.build_absolute_uri(path)
    response = render(request, "portal/receipt.html", {
        "case": case, "access_key": access_key, "status_url": status_url, "kind_label": Kind(case.kind).label,
        "tracking_groups": case.tracking_number.split("-"), "key_groups": access_key.split("-"),
        # Re-showing the page in the other language needs a token of its own (the first one is spent).
        "receipt_token": receipt_hold(tracking=case.tracking_number, access_key=access_key),
    })
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def track(request):
    # Not throttled here: a well-formed number is redirected to its case page, which counts the lookup.
    form = forms.TrackForm(request.GET or None)
    if request.GET:
        if form.is_valid():
            return redirect("portal:case", tracking=form.cleaned_data["number"])
    return render(request, "portal/track.html", {"form": form}, status=400 if form.errors else 200)


def _key_cookie_path(tracking: str) -> str:
    return reverse("portal:case", args=[tracking])


def _stored_key(request, case: Case) -> str | None:
    """The access key this browser holds for the case. The cookie is Fernet-encrypted (and so also
    tamper-proof): the key cannot be read out of a cookie jar, nor moved to another case."""
    try:
        held = decrypt_json(request.COOKIES.get(KEY_COOKIE, ""))
    except (InvalidToken, ValueError, TypeError):
        return None
    if not isinstance(held, dict) or held.get("tracking") != case.tracking_number:
        return None
    key = held.get("key")
    return key if access_key_matches(key, case.access_key_hash) else None


@require_http_methods(["GET", "HEAD", "POST"])
def case(request, tracking: str):
    """Status for anyone with the number; with the access key also the conversation and the forms."""
    if (wait := throttle_wait(request, LOOKUP)) is not None:
        return throttled(request, wait)
    canonical = tracking_number_parse(tracking)
    if canonical is None:
        return _not_found(request)
    if canonical.startswith(OPINION_PREFIX):  # an opinion's number, typed into "track a case"
        return redirect("portal:opinion", number=canonical)
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
            response.set_cookie(KEY_COOKIE, encrypt_json({"tracking": canonical,
                                                          "key": key_form.cleaned_data["access_key"]}),
                                path=_key_cookie_path(canonical), httponly=True, samesite="Strict",
                                secure=_cookie_secure(request))
            return response
        if key_form.is_valid():
            key_form.add_error("access_key", _("The access key does not match this case."))
    return _case_page(request, found, key_form=key_form, status=400 if key_form.errors else 200)


def _case_page(request, found: Case, *, key_form=None, message_form=None, feedback_form=None, reopen_form=None,
               status=200):
    key = _stored_key(request, found)
    shown = PublicCaseStatus.of(found)
    context = {
        "case": found,
        "kind_label": Kind(found.kind).label,
        "status_label": Status(shown.status).label,
        "timeline": [{"at": entry["at"], "label": Status(entry["status"]).label} for entry in shown.timeline],
        "referral": shown.referral,
        "waiting": shown.waiting,
        "has_key": key is not None,
        "key_form": key_form or forms.AccessKeyForm(),
    }
    if key is not None:
        context.update({
            "conversation": case_citizen_messages(found),
            "waiting_for_citizen": found.status == Status.AWAITING_INFO,
            "can_add": citizen_message_refusal(found) is None,
            "message_form": message_form or forms.MessageForm(),
            "can_rate": citizen_feedback_refusal(found) is None,
            "feedback_form": feedback_form or forms.FeedbackForm(),
            "can_reopen": citizen_reopen_refusal(found) is None,
            "can_follow": found.status in FINAL_STATUSES,
            "reopen_form": reopen_form or forms.ReopenForm(),
            "window_ends": found.answer_window_ends_at,
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
    return _with_key_action(request, tracking, forms.MessageForm, "message_form", citizen_message_refusal,
                            lambda found, key, data: citizen_message_add(
                                tracking=found.tracking_number, access_key=key, message=data["message"]),
                            _("Thank you. Your information has been added to the case."))


@require_POST
def case_feedback(request, tracking: str):
    return _with_key_action(request, tracking, forms.FeedbackForm, "feedback_form", citizen_feedback_refusal,
                            lambda found, key, data: citizen_feedback_give(
                                tracking=found.tracking_number, access_key=key, score=data["score"],
                                comment=data["comment"]),
                            _("Thank you for rating our answer."))


@require_POST
def case_reopen(request, tracking: str):
    return _with_key_action(request, tracking, forms.ReopenForm, "reopen_form", citizen_reopen_refusal,
                            lambda found, key, data: citizen_reopen(
                                tracking=found.tracking_number, access_key=key, reason=data["reason"]),
                            _("Your case has been reopened. The officer will look at it again and answer you."))


def _with_key_action(request, tracking, form_class, form_name, refusal, action, done_message):
    if (wait := throttle_wait(request, ACCESS_KEY)) is not None:
        return throttled(request, wait)
    found, key = _case_with_key(request, tracking)
    if found is None:
        return _not_found(request)
    if key is None:
        messages.error(request, _("Enter the access key from your receipt first."))
        return redirect("portal:case", tracking=found.tracking_number)
    form = form_class(request.POST)
    if not form.is_valid():
        if (reason := refusal(found)) is not None:  # the page no longer shows this form: say why instead
            messages.error(request, reason)
            return redirect("portal:case", tracking=found.tracking_number)
        return _case_page(request, found, **{form_name: form}, status=400)
    try:
        action(found, key, form.cleaned_data)
    except ApplicationError as error:  # the case moved on (closed, already rated): the service says why
        messages.error(request, error.message)
    else:
        messages.success(request, done_message)
    return redirect("portal:case", tracking=found.tracking_number)


@require_POST
def case_forget(request, tracking: str):
    canonical = tracking_number_parse(tracking)
    if canonical is None:
        return _not_found(request)
    response = redirect("portal:case", tracking=canonical)
    response.delete_cookie(KEY_COOKIE, path=_key_cookie_path(canonical), samesite="Strict")
    return response
