"""Create the demo office of the seed announcement. Safe to run again: it updates in place."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from core.choices import Role
from core.demo_data import CATEGORIES, OFFICE, UNITS, USERS
from core.models import Category, Membership, Office, Unit


class Command(BaseCommand):
    help = "Create the demo office, units, categories and users (password: DEMO_PASSWORD)."

    @transaction.atomic
    def handle(self, *args, **options):
        office, _ = Office.objects.update_or_create(code=OFFICE["code"], defaults=OFFICE)
        units = {}
        for code, name_th, name_en, is_integrity in UNITS:
            units[code], _ = Unit.objects.update_or_create(
                code=code,
                defaults={"office": office, "name_th": name_th, "name_en": name_en, "is_integrity": is_integrity},
            )
        for kind, rows in CATEGORIES.items():
            for position, (code, name_th, name_en) in enumerate(rows):
                Category.objects.update_or_create(
                    kind=kind, code=code, defaults={"name_th": name_th, "name_en": name_en, "position": position}
                )
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        for username, (first, last, roles, memberships) in USERS.items():
            self._user(username, first, last, roles, memberships, groups, units)

        self.stdout.write(self.style.SUCCESS(f"Office: {office.name_th}"))
        self.stdout.write(f"Units: {len(UNITS)}; categories: {sum(len(rows) for rows in CATEGORIES.values())}")
        self.stdout.write(f"Users (password from DEMO_PASSWORD, default 'rabfang-demo'): {', '.join(USERS)}")

    def _user(self, username, first, last, roles, memberships, groups, units):
        user, created = get_user_model().objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.go.th"
        user.is_staff = True
        user.is_superuser = "admin" in roles
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[role] for role in roles])
        for unit_code, is_head in memberships:
            Membership.objects.update_or_create(user=user, unit=units[unit_code], defaults={"is_head": is_head})
        Membership.objects.filter(user=user).exclude(unit__code__in=[code for code, _ in memberships]).delete()
