"""Findings 1 and 3 of the security probe: an administrator who is not a superuser cannot take over the
accounts that see sealed reports, a password change ends the old tokens, and the Django admin's sign-in
is throttled like the API's."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import PBKDF2SHA1PasswordHasher
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import user_named


class QuickPbkdf2(PBKDF2SHA1PasswordHasher):
    """A newer hasher than the suite's MD5, quick enough for a test."""

    iterations = 1000

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_admin(staff, demo):
    """An administrator by role, not a superuser, with the Django admin's rights over users."""
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("office-admin", email="oa@example.go.th", password="oa-long-password",
                                                is_staff=True)
    user.groups.add(Group.objects.get(name="admin"))
    user.user_permissions.add(*Permission.objects.filter(content_type__model="user"))
    return staff("office-admin"), user


@pytest.mark.parametrize("target", ["integrity1", "director"])
@pytest.mark.parametrize("change", [{"password": "attacker-long-password"}, {"email": "attacker@example.com"},
                                    {"username": "taken-over"}, {"first_name": "x"}])
def test_an_office_admin_cannot_change_the_account_of_someone_who_sees_sealed_reports(office_admin, target, change):
    client, _ = office_admin
    victim = user_named(target)
    answer = client.patch(f"/api/v1/admin/users/{victim.pk}/", change, format="json")
    assert answer.status_code == 403, answer.json()
    fresh = get_user_model().objects.get(pk=victim.pk)
    assert (fresh.username, fresh.email, fresh.first_name) == (victim.username, victim.email, victim.first_name)
    assert authenticate(username=target, password="attacker-long-password") is None


def test_the_django_admin_refuses_it_too(client, office_admin):
    """The Django admin, which has none of the admin API's per-field checks, is a superuser's alone: a staff
    member with every user permission is sent to the sign-in page."""
    _, me = office_admin
    client.force_login(me)
    victim = user_named("integrity1")
    answer = client.post(f"/admin/auth/user/{victim.pk}/password/",
                         {"password1": "attacker-long-password", "password2": "attacker-long-password"})
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    assert authenticate(username="integrity1", password="attacker-long-password") is None
    clerk = user_named("clerk1")
    answer = client.post(f"/admin/auth/user/{clerk.pk}/change/", {"username": "clerk1", "is_superuser": "on"})
    assert answer.status_code == 302 and not get_user_model().objects.get(pk=clerk.pk).is_superuser


def test_a_guarded_account_is_refused_in_the_django_admin_even_to_the_change_form(client, demo):
    # (Defence in depth behind the superuser-only site: the user admin itself refuses guarded accounts.)
    from django.test import RequestFactory

    from core.admin import LoggedUserAdmin

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.create_user("staffer", is_staff=True)
    user_admin = LoggedUserAdmin(get_user_model(), None)
    assert user_admin.has_change_permission(request, user_named("integrity1")) is False


def test_a_superuser_may_and_the_old_token_ends_with_the_old_password(staff, demo):
    victim = user_named("integrity1")
    old = APIClient()
    token = Token.objects.create(user=victim)
    old.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert old.get("/api/v1/cases/").status_code == 200
    answer = staff("admin").patch(f"/api/v1/admin/users/{victim.pk}/", {"password": "a-new-long-password-9"},
                                  format="json")
    assert answer.status_code == 200
    assert old.get("/api/v1/cases/").status_code == 401
    assert not Token.objects.filter(user=victim).exists()


def test_any_password_change_ends_the_tokens(demo):
    clerk = user_named("clerk1")
    Token.objects.create(user=clerk)
    clerk.last_name = "ใหม่"
    clerk.save()  # not a password change
    assert Token.objects.filter(user=clerk).exists()
    clerk.set_password("changed-by-manage-py")
    clerk.save()
    assert not Token.objects.filter(user=clerk).exists()


def test_a_password_change_ends_the_old_admin_session(client, demo):
    superuser = user_named("admin")
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    superuser.set_password("another-long-password-7")
    superuser.save()
    assert client.get("/admin/").status_code == 302  # back to the sign-in


def test_the_django_admin_sign_in_is_throttled_like_the_api_login(client, demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "10/min"}}
    answers = [client.post("/admin/login/", {"username": "admin", "password": f"wrong-{n}"}).status_code
               for n in range(10)]
    assert answers == [200] * 10  # the form again, with its error
    right = client.post("/admin/login/", {"username": "admin", "password": "rabfang-demo"})
    assert right.status_code == 429 and int(right["Retry-After"]) > 0
    # The same allowance as the API's token login, from the same address.
    assert APIClient().post("/api/v1/auth/token/", {"username": "admin", "password": "rabfang-demo"},
                            format="json").status_code == 429


def test_rehashing_the_same_password_at_sign_in_keeps_the_tokens(demo, settings):
    """Django re-hashes a password whose hasher changed when its owner signs in: not a password change."""
    clerk = user_named("clerk1")
    token = Token.objects.create(user=clerk)
    settings.PASSWORD_HASHERS = ["tests.security.test_accounts.QuickPbkdf2", "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert authenticate(username="clerk1", password="rabfang-demo") is not None  # re-hashed with PBKDF2 now
    assert get_user_model().objects.get(pk=clerk.pk).password.startswith("pbkdf2_sha1$")
    assert Token.objects.filter(pk=token.pk).exists()
