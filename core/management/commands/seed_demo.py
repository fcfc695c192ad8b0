"""Create the demo office of the seed announcement in an empty database. Safe to run again: a database
that already holds an office, units or categories is left exactly as it is (`make run` runs this on every
start; what an office's administrators made or changed, demo passwords included, is never overwritten)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from core.choices import Role
from core.defaults import evidence_defaults_add, referral_and_waiting_defaults_add
from core.demo_data import (
    CATEGORIES,
    COMMITTEE,
    COMMITTEE_MEMBERS,
    OFFICE,
    ROUTING_RULES,
    SLA_POLICIES,
    STAKEHOLDER_GROUPS,
    UNITS,
    UNROUTED_UNIT,
    USERS,
)
from core.models import (
    Agency,
    Category,
    Committee,
    CommitteeMember,
    EvidenceItem,
    Membership,
    Office,
    RoutingRule,
    SlaPolicy,
    StakeholderGroup,
    Unit,
    WaitingReason,
)
from core.signals import demo_seeded


class Command(BaseCommand):
    help = "Create the demo office, units, categories and users (password: DEMO_PASSWORD)."

    @transaction.atomic
    def handle(self, *args, **options):
        if Office.objects.exists() or Unit.objects.exists() or Category.objects.exists():
            self.stdout.write("The database already holds an office: nothing seeded (seed_demo fills only an empty "
                              "database and never overwrites).")
            return
        office, _ = Office.objects.update_or_create(code=OFFICE["code"], defaults=OFFICE)
        units = {}
        for code, name_th, name_en, is_integrity, strategy in UNITS:
            units[code], _ = Unit.objects.update_or_create(
                code=code,
                defaults={"office": office, "name_th": name_th, "name_en": name_en, "is_integrity": is_integrity,
                          "strategy": strategy, "receives_unrouted": code == UNROUTED_UNIT},
            )
        for kind, rows in CATEGORIES.items():
            for position, (code, name_th, name_en) in enumerate(rows):
                Category.objects.update_or_create(
                    kind=kind, code=code, defaults={"name_th": name_th, "name_en": name_en, "position": position}
                )
        self._routing_rules(units)
        self._sla_policies()
        referral_and_waiting_defaults_add(Agency, WaitingReason)  # (migrated in, unless the database was emptied)
        evidence_defaults_add(EvidenceItem)
        # Referrals are emailed: the demo's agencies get addresses that go nowhere real.
        for agency in Agency.objects.filter(email=""):
            agency.email = f"{agency.code}@example.go.th"
            agency.save(update_fields=["email"])
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        for username, (first, last, roles, memberships) in USERS.items():
            self._user(username, first, last, roles, memberships, groups, units)
        self._committee()
        demo_seeded.send(sender=self.__class__, office=office)

        self.stdout.write(self.style.SUCCESS(f"Office: {office.name_th}"))
        self.stdout.write(f"Units: {len(UNITS)}; categories: {sum(len(rows) for rows in CATEGORIES.values())}; "
                          f"routing rules: {len(ROUTING_RULES)}; SLA policies: {len(SLA_POLICIES)}")
        self.stdout.write(f"Users (password from DEMO_PASSWORD, default 'rabfang-demo'): {', '.join(USERS)}")

    def _routing_rules(self, units):
        for position, (name, kind, category, channel, keywords, unit) in enumerate(ROUTING_RULES, start=1):
            RoutingRule.objects.update_or_create(name=name, defaults={
                "position": position * 10, "kind": kind, "channel": channel, "keywords": keywords,
                "category": Category.objects.get(kind=kind, code=category) if category else None, "unit": units[unit],
            })

    def _sla_policies(self):
        for name, kind, priority, calendar, acknowledge, resolve, max_pause in SLA_POLICIES:
            SlaPolicy.objects.update_or_create(name=name, defaults={
                "kind": kind, "priority": priority, "calendar": calendar,
                "acknowledge_value": acknowledge[0], "acknowledge_unit": acknowledge[1],
                "resolve_value": resolve[0], "resolve_unit": resolve[1],
                "max_pause_value": max_pause[0] if max_pause else None,
                "max_pause_unit": max_pause[1] if max_pause else "",
            })

    def _committee(self):
        groups = {}
        for position, (code, name_th, name_en, kind) in enumerate(STAKEHOLDER_GROUPS):
            groups[code] = StakeholderGroup.objects.create(code=code, name_th=name_th, name_en=name_en, kind=kind,
                                                           position=position)
        committee = Committee.objects.create(**COMMITTEE)
        users = get_user_model().objects.in_bulk(field_name="username")
        for name, position, group, username in COMMITTEE_MEMBERS:
            CommitteeMember.objects.create(committee=committee, name=name, position=position,
                                           group=groups.get(group), user=users.get(username),
                                           term_start=committee.order_date)

    def _user(self, username, first, last, roles, memberships, groups, units):
        user, created = get_user_model().objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.go.th"
        # The Django admin is for those who configure the office; everyone else works in the API and pages.
        user.is_staff = user.is_superuser = "admin" in roles
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[role] for role in roles])
        for unit_code, is_head in memberships:
            Membership.objects.update_or_create(user=user, unit=units[unit_code], defaults={"is_head": is_head})
        Membership.objects.filter(user=user).exclude(unit__code__in=[code for code, _ in memberships]).delete()
