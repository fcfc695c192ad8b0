"""Signing in and out of the workspace: Django sessions, throttled like every sign-in (core.throttle)."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.throttle import LOGIN, throttle_wait
from workspace.access import session_start
from workspace.forms import SignInForm
from workspace.views.two_factor import confirmed_device, second_factor_pending


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request):
    form = SignInForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()) \
            or not next_url.startswith("/staff/"):
        next_url = reverse("workspace:queue")
    if request.method == "POST":
        if (wait := throttle_wait(request, LOGIN)) is not None:
            response = render(request, "workspace/sign_in.html",
                              {"form": form, "next": next_url, "wait_minutes": max(1, round(wait / 60))}, status=429)
            response["Retry-After"] = str(int(wait) + 1)
            return response
        if form.is_valid():
            user = authenticate(request, username=form.cleaned_data["username"],
                                password=form.cleaned_data["password"])
            if user is not None and user.is_active:
                if confirmed_device(user) is not None:
                    return second_factor_pending(request, user, next_url)
                login(request, user)  # a new session key: nothing from before the sign-in carries over
                session_start(request)
                return redirect(next_url)
            form.add_error(None, _("The username or password is not correct."))
    status = 400 if form.errors else 200
    return render(request, "workspace/sign_in.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("workspace:login")
