"""Who may see which cases. One place decides it for the API, the pages and the workers.

Rules (docs/roles.md):
- the director sees every case;
- sealed cases (corruption reports) are otherwise seen only by members of the integrity unit;
- members of a unit see its cases and the cases assigned to them;
- unit heads also see cases not yet routed to any unit, so that they can assign them;
- intake clerks, auditors and administrators read every case that is not sealed;
- committee members read the co-decision items of the committees they serve on, and the items on those committees'
  meeting agendas.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.choices import Role
from core.models import CommitteeMember, Meeting, Membership, Unit


@dataclass(frozen=True)
class StaffProfile:
    user_id: int
    unit_ids: frozenset[int]
    head_unit_ids: frozenset[int]
    integrity_unit_ids: frozenset[int]
    roles: frozenset[str]
    committee_ids: frozenset[int] = frozenset()

    @property
    def is_director(self) -> bool:
        return Role.DIRECTOR in self.roles

    @property
    def reads_all_open_cases(self) -> bool:
        return bool(self.roles & {Role.CLERK, Role.AUDITOR, Role.ADMIN})

    @property
    def is_head(self) -> bool:
        return bool(self.head_unit_ids)


def staff_profile(user) -> StaffProfile:
    """The user's roles and units, read once per request and kept on the user object."""
    cached = getattr(user, "_rabfang_profile", None)
    if cached is not None:
        return cached
    groups, rows = _roles_and_units(user.pk)
    roles = set(groups)
    if user.is_superuser:
        roles.add(Role.ADMIN)
    profile = StaffProfile(
        user_id=user.pk,
        unit_ids=frozenset(unit_id for unit_id, _, _ in rows),
        head_unit_ids=frozenset(unit_id for unit_id, is_head, _ in rows if is_head),
        integrity_unit_ids=frozenset(unit_id for unit_id, _, integrity in rows if integrity),
        roles=frozenset(roles),
        committee_ids=_serving_committees(user.pk) if Role.COMMITTEE in roles else frozenset(),
    )
    user._rabfang_profile = profile
    return profile


def needs_second_factor(user) -> bool:
    """Whoever can reveal a sealed reporter's identity (the integrity unit, the director) or change the office's
    configuration (administrators): a stolen password alone must not open those (``STAFF_2FA_REQUIRED``)."""
    profile = staff_profile(user)
    return profile.is_director or bool(profile.integrity_unit_ids) or Role.ADMIN in profile.roles


def _roles_and_units(user_id: int) -> tuple[list[str], list[tuple[int, bool, bool]]]:
    """The user's group names and (unit, is head, is integrity unit) of their active units, in one statement:
    every staff request asks, so it is one round trip instead of two ORM queries."""
    user_groups = get_user_model().groups.through._meta.db_table
    sql = (
        f"SELECT g.name, NULL, NULL, NULL FROM {user_groups} ug JOIN {Group._meta.db_table} g ON g.id = ug.group_id "
        "WHERE ug.user_id = %s "
        f"UNION ALL SELECT NULL, m.unit_id, m.is_head, u.is_integrity FROM {Membership._meta.db_table} m "
        f"JOIN {Unit._meta.db_table} u ON u.id = m.unit_id WHERE m.user_id = %s AND u.active"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        rows = cursor.fetchall()
    groups = [name for name, unit_id, _, _ in rows if unit_id is None]
    memberships = [(unit_id, bool(is_head), bool(integrity)) for _, unit_id, is_head, integrity in rows
                   if unit_id is not None]
    return groups, memberships


def _serving_committees(user_id: int) -> frozenset[int]:
    """The committees the user serves on today (a term ended, or not started, shows nothing)."""
    today = timezone.localdate()
    return frozenset(CommitteeMember.objects.filter(user_id=user_id, term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)).values_list("committee_id", flat=True))


def visible_cases_q(user) -> Q:
    """A filter on Case for the cases ``user`` may see."""
    profile = staff_profile(user)
    if profile.is_director:
        return Q()
    sealed = Q(sealed=True, unit_id__in=profile.integrity_unit_ids)
    mine = Q(unit_id__in=profile.unit_ids) | Q(assignee_id=profile.user_id)
    if profile.reads_all_open_cases:
        mine = Q()
    elif profile.is_head:
        mine |= Q(unit__isnull=True)
    if profile.committee_ids:
        mine |= Q(committee_id__in=profile.committee_ids) | Q(pk__in=_on_agendas(profile.committee_ids))
    return sealed | (Q(sealed=False) & mine)


def can_see_case(user, case) -> bool:
    profile = staff_profile(user)
    return office_sees_case(user, case) or (not case.sealed and bool(profile.committee_ids) and (
        case.committee_id in profile.committee_ids
        or _on_agendas(profile.committee_ids).filter(case_id=case.pk).exists()))


def office_sees_case(user, case) -> bool:
    """Whether ``user`` sees the case as the office's staff (every rule but the committee's): what it takes to read the
    requester's contact details. A committee member, often someone from outside the office, reads the items before
    their committee, never the citizens' contact details."""
    profile = staff_profile(user)
    if profile.is_director:
        return True
    if case.sealed:
        return case.unit_id in profile.integrity_unit_ids
    return (
        profile.reads_all_open_cases
        or case.unit_id in profile.unit_ids
        or case.assignee_id == profile.user_id
        or (profile.is_head and case.unit_id is None)
    )


def _on_agendas(committee_ids: frozenset[int]):
    """The cases on the agendas of these committees' meetings (their ids)."""
    return Meeting.agenda.through.objects.filter(meeting__committee_id__in=committee_ids).values("case_id")


def heads_unit(user, unit_id: int) -> bool:
    """The director, or a head of this unit."""
    profile = staff_profile(user)
    return profile.is_director or unit_id in profile.head_unit_ids
