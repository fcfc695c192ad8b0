"""TOTP two-factor sign-in (django-otp): the code after the password, and enrolling an authenticator app.

Anyone who has enrolled is asked for the code at every sign-in. With ``STAFF_2FA_REQUIRED`` the integrity unit,
the director and administrators (``core.access.needs_second_factor``) must enrol before any other page opens.
"""

import base64
import time

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.throttle import LOGIN, throttle_wait
from workspace.access import session_start, staff_enrolling_page
from workspace.forms import CodeForm

PENDING = "staff_pending_second_factor"
PENDING_SECONDS = 300


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_pending(request, user, next_url: str):
    """The password was right; the code is still to come (within five minutes, in this browser)."""
    request.session[PENDING] = {"user": user.pk, "next": next_url, "at": time.time()}
    return redirect("workspace:login-code")


@require_http_methods(["GET", "HEAD", "POST"])
def code(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Please sign in again."))
        return redirect("workspace:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if (wait := throttle_wait(request, LOGIN)) is not None:
            response = render(request, "workspace/code.html", {"form": form, "wait_minutes": max(1, round(wait / 60))},
                              status=429)
            response["Retry-After"] = str(int(wait) + 1)
            return response
        if form.is_valid():
            user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
            device = _verified(user, form.cleaned_data["code"]) if user else None
            if device is not None:
                request.session.pop(PENDING, None)
                login(request, user)
                otp_login(request, device)
                session_start(request)
                return redirect(pending["next"])
            form.add_error("code", _("The code is not correct or has expired. Enter the code your app shows now."))
    return render(request, "workspace/code.html", {"form": form}, status=400 if form.errors else 200)


def _verified(user, token: str) -> TOTPDevice | None:
    """The user's device if it accepts the code (django-otp's throttling counts the failures), else None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None
        allowed, _details = device.verify_is_allowed()
        return device if allowed and device.verify_token(token) else None


@staff_enrolling_page
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm with a code it shows."""
    user = request.user
    if confirmed_device(user) is not None:
        return render(request, "workspace/two_factor.html", {"enrolled": True, "nav": "security"})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="workspace", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on. From now on you will be asked for a code."))
            return redirect("workspace:queue")
        form.add_error("code", _("The code is not correct or has expired. Enter the code your app shows now."))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, svgclass="qr", lineclass=None,
                                                              omitsize=True, title=_("QR code for the authenticator app"))
    key = base64.b32encode(device.bin_key).decode()
    return render(request, "workspace/two_factor.html", {
        "form": form, "qr": mark_safe(qr),  # noqa: S308 - segno's own markup; the title is escaped by segno
        "key_groups": [key[i:i + 4] for i in range(0, len(key), 4)], "nav": "security",
    }, status=400 if form.errors else 200)
