"""Who may open a staff page, and for how long a sign-in lasts (docs/workspace.md, "Signing in").

A sign-in ends after ``STAFF_SESSION_IDLE_MINUTES`` without a request and, however busy, after
``STAFF_SESSION_MAX_HOURS``: a shared office computer left signed in does not stay open to the next person.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.access import needs_second_factor

SIGNED_IN_AT, SEEN_AT = "staff_signed_in_at", "staff_seen_at"
# The idle clock is written at most this often, not on every request (each write is a session save).
SEEN_RESOLUTION_SECONDS = 60


def session_start(request) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now


def session_expired(request, now: float) -> bool:
    signed_in, seen = request.session.get(SIGNED_IN_AT), request.session.get(SEEN_AT)
    if signed_in is None or seen is None:
        return True  # signed in elsewhere (the Django admin): sign in here too
    return (now - seen > settings.STAFF_SESSION_IDLE_MINUTES * 60
            or now - signed_in > settings.STAFF_SESSION_MAX_HOURS * 3600)


def staff_page(view):
    """Signed-in staff only; everyone else goes to the sign-in page and comes back afterwards. Where two-step
    sign-in is required (``STAFF_2FA_REQUIRED``), those whose role needs it are sent to enrol first."""
    return _staff_page(view, enrolling=False)


def staff_enrolling_page(view):
    """``staff_page`` for the page where two-step sign-in is set up (reached before it is)."""
    return _staff_page(view, enrolling=True)


def _staff_page(view, *, enrolling: bool):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        now = time.time()
        if request.user.is_authenticated and session_expired(request, now):
            logout(request)
            messages.info(request, _("Your sign-in has expired. Please sign in again."))
        if not request.user.is_authenticated:
            if request.headers.get("HX-Request") == "true":
                # An action sent in place (htmx): a redirect to the sign-in page would replace the page, and
                # what the reader typed, with it. The page says so instead (workspace.js) and keeps the text.
                return HttpResponse(status=401)
            return redirect(f"{reverse('workspace:login')}?{urlencode({'next': request.get_full_path()})}")
        if now - request.session[SEEN_AT] > SEEN_RESOLUTION_SECONDS:
            request.session[SEEN_AT] = now
        if (settings.STAFF_2FA_REQUIRED and not enrolling and not request.user.is_verified()
                and needs_second_factor(request.user)):
            messages.info(request, _("Your role needs two-step sign-in: set up an authenticator app first."))
            return redirect("workspace:2fa-setup")
        response = view(request, *args, **kwargs)
        response.setdefault("Cache-Control", "no-store")  # staff pages hold personal data
        return response

    return wrapped
