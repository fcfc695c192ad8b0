"""Managing staff accounts without letting an administrator widen their own reach.

Administrators (the ``admin`` role) manage ordinary staff. Only a superuser may touch the account of
anyone who can see sealed corruption reports (the director, the integrity unit's members) or who holds
an administrator's powers (its password, email address and everything else: those are the way into the
account and where its sealed-report notices go), grant or remove the director and admin roles, change
which units are integrity units, or change membership of an integrity unit. Nobody changes their own
roles, memberships or password through the API. Any password change ends the user's API tokens (and,
through Django's session hash, their sessions).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from core.choices import Role
from core.config_changes import config_log, config_save, snapshot
from core.errors import PermissionDenied
from core.models import Unit

PRIVILEGED_ROLES = {Role.DIRECTOR, Role.ADMIN}


def _roles_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True)) if user.pk else set()


def account_is_guarded(user) -> bool:
    """Whether only a superuser may change ``user``'s account: a superuser, a director or administrator,
    or a member of an integrity unit (who reads sealed reports and reporters' identities)."""
    if user.pk is None:
        return False
    return (user.is_superuser or bool(_roles_of(user) & PRIVILEGED_ROLES)
            or user.memberships.filter(unit__is_integrity=True).exists())


def tokens_revoke_on_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    """``pre_save`` of the user model: a password changed by any path (the admin API, the Django admin, a
    reset, ``manage.py changepassword``) ends the user's API tokens, so that a token taken before it does
    not outlive it. (A signal, because Django's own forms and commands set passwords too; sessions already
    end through Django's session hash.)"""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    if getattr(instance, "_password", None) is None:
        # No new password was set: Django re-hashing the same one at sign-in (a hasher upgrade) is no change.
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()


def _require_superuser(actor, message: str) -> None:
    if not actor.is_superuser:
        raise PermissionDenied(message)


@transaction.atomic
def user_admin_save(*, instance, actor, fields: dict, roles: list[str] | None, password: str | None):
    if instance.pk is not None and instance.pk == actor.pk:
        raise PermissionDenied("Change your own account in the Django admin, not through the API.")
    if account_is_guarded(instance):
        _require_superuser(actor, "Only a superuser may change the account of a director, an administrator, a "
                                  "superuser or a member of the integrity unit.")
    if roles is not None and (set(roles) ^ _roles_of(instance)) & PRIVILEGED_ROLES:
        _require_superuser(actor, "Only a superuser may grant or remove the director and admin roles.")
    if password:
        try:
            validate_password(password, user=instance)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
    before = snapshot(get_user_model().objects.get(pk=instance.pk)) if instance.pk else None
    user = config_save(instance=instance, actor=actor, fields=fields, clean=False, log=False)
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    if roles is not None:
        user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    after = snapshot(user) | ({"password_changed": True} if password else {})
    config_log(actor=actor, instance=user, action="update" if before else "create", before=before, after=after)
    return user


def membership_admin_check(*, actor, user, unit: Unit) -> None:
    """May ``actor`` add, change or remove ``user``'s membership of ``unit``?"""
    if user.pk == actor.pk:
        raise PermissionDenied("Nobody changes their own unit memberships.")
    if unit.is_integrity or user.is_superuser or (_roles_of(user) & PRIVILEGED_ROLES):
        _require_superuser(actor, "Only a superuser may change the integrity unit's members or a privileged "
                                  "user's memberships.")


def unit_admin_check(*, actor, unit: Unit, fields: dict) -> None:
    if (unit.pk is None and fields.get("is_integrity")) or (
        unit.pk is not None and "is_integrity" in fields and fields["is_integrity"] != unit.is_integrity
    ):
        _require_superuser(actor, "Only a superuser may decide which units are integrity units.")
    if unit.pk is not None and unit.is_integrity:
        _require_superuser(actor, "Only a superuser may change an integrity unit.")
