"""Who may fire a transition: django-fsm ``permission=`` callables, ``(case, user) -> bool``.

``user`` is None for the citizen and for the system; those origins are allowed per transition
by ``custom={"origins": ...}`` in the transition service instead.
"""

from core.access import can_see_case, staff_profile
from core.choices import Role


def _staff(user) -> bool:
    return user is not None and user.is_authenticated


def supervises(case, user) -> bool:
    """The director, or a head of the case's unit (of any unit while the case is unrouted)."""
    if not _staff(user) or not can_see_case(user, case):
        return False
    profile = staff_profile(user)
    if profile.is_director:
        return True
    if case.unit_id is None:
        return profile.is_head and not case.sealed
    return case.unit_id in profile.head_unit_ids


def works_case(case, user) -> bool:
    """The assignee, or whoever supervises the case."""
    if not _staff(user):
        return False
    return (case.assignee_id is not None and case.assignee_id == user.pk and can_see_case(user, case)) or supervises(
        case, user
    )


def triages_case(case, user) -> bool:
    """Anyone who works the case, any member of its unit, or an intake clerk (e.g. to merge duplicates)."""
    if not _staff(user) or not can_see_case(user, case):
        return False
    profile = staff_profile(user)
    return works_case(case, user) or case.unit_id in profile.unit_ids or Role.CLERK in profile.roles
