"""Stable codes and their translated labels. Codes never change; labels do."""

import functools

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    CORRUPTION = "corruption", _("Corruption / misconduct report")
    SUGGESTION = "suggestion", _("Suggestion / opinion")
    CODECISION = "codecision", _("Co-decision item")


def choice_label(choices: type[models.Choices], code) -> str:
    """The translated label of a code, or the code as stored if it is not one of ``choices``. (Django's
    ``get_<field>_display`` translates every choice of the field on each call: most of a 50-row page's time.)"""
    return choice_labels(choices).get(code, str(code))


def choice_labels(choices: type[models.Choices]) -> dict[str, str]:
    """Every code's label in the active language, for a page that labels many rows. Kept per language: the
    catalogues are read once when the process starts, so a label cannot change while it runs."""
    return _choice_labels(choices, get_language() or "")


@functools.lru_cache(maxsize=64)
def _choice_labels(choices: type[models.Choices], language: str) -> dict[str, str]:
    return {code: str(label) for code, label in choices.choices}


# Kinds a citizen may submit without an account; co-decision items are created by staff.
PUBLIC_KINDS = (Kind.COMPLAINT, Kind.SUGGESTION, Kind.CORRUPTION)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_INFO = "awaiting_info", _("Waiting for your information")
    RESPONDED = "responded", _("Answered")
    REFERRED = "referred", _("Referred, awaiting the agency")
    ON_HOLD = "on_hold", _("Waiting")
    MERGED = "merged", _("Merged with a duplicate")
    REJECTED = "rejected", _("Not accepted (outside our mandate)")
    CLOSED = "closed", _("Closed")
    FACT_FINDING = "fact_finding", _("Fact-finding")
    REFERRED_FOR_INQUIRY = "referred_for_inquiry", _("Referred for inquiry")
    DISMISSED = "dismissed", _("Dismissed (no grounds)")
    CONCLUDED = "concluded", _("Concluded")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    NOTED = "noted", _("Noted")
    DECLINED = "declined", _("Declined")
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Open for consultation")
    DELIBERATION = "deliberation", _("Committee deliberation")
    DECIDED = "decided", _("Decided")
    IMPLEMENTING = "implementing", _("Implementing")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which nothing more happens to a case.
FINAL_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN})
# Statuses in which the office owes the case no more work: its SLA clocks stop. (A merged case's
# work continues on the case it was merged into.)
NO_WORK_STATUSES = FINAL_STATUSES | {Status.MERGED}


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    PHONE = "phone", _("Telephone")
    WALK_IN = "walk_in", _("Walk-in")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    LINE = "line", _("LINE Official Account")
    FACEBOOK = "facebook", _("Facebook")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    CENTER_1111 = "center_1111", _("Government contact centre 1111")
    DAMRONGDHAM = "damrongdham", _("Damrongdham centre")
    MEETING = "meeting", _("Meeting / public hearing")
    OPEN311 = "open311", _("Open311 application")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")


class ActorKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")
    SYSTEM = "system", _("System")


class EscalationLevel(models.IntegerChoices):
    OFFICER = 0, _("Officer")
    UNIT_HEAD = 1, _("Unit head")
    DIRECTOR = 2, _("Director")
    OVERSIGHT = 3, _("Oversight body")


class Role(models.TextChoices):
    """Office-wide roles, kept as Django groups. Unit roles come from memberships."""

    CLERK = "clerk", _("Intake clerk")
    DIRECTOR = "director", _("Director")
    AUDITOR = "auditor", _("Auditor")
    COMMITTEE = "committee", _("Committee member")
    ADMIN = "admin", _("Administrator")
