"""The staff API's shapes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import (
    BoundedDateField,
    BoundedDateTimeField,
    ResponseDateTimeField,
    StrictCharField,
    StrictChoiceField,
    StrictSerializer,
)
from api.serializers.common import (
    CaseIntakeFields,
    channel_field,
    kind_field,
    priority_field,
    status_field,
)
from core.choices import Kind, Status, choice_label
from core.crypto import decrypt_json
from core.keyset import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ORDERINGS
from core.models import WaitingReason
from core.queues import QUEUES


class ChoiceLabelField(serializers.CharField):
    """The translated label of a code. Django's ``get_<field>_display`` hashes (so translates) every
    choice of the field on each call: 24 status labels per row, most of a queue page's time."""

    def __init__(self, *, choices, **kwargs):
        self.choice_enum = choices
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return choice_label(self.choice_enum, value)


class WaitingReasonOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    explanation = serializers.CharField(help_text="What the citizen reads.")
    stops_clock = serializers.BooleanField()


@extend_schema_field(WaitingReasonOutput(allow_null=True))
class WaitingReasonField(serializers.Field):
    """Why a case on hold waits, from its ``waiting_reason_id``: the few configured reasons are read once per
    response, and only if a row has one, so a queue page adds no join."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="waiting_reason_id", allow_null=True, **kwargs)
        self._reasons = None

    def to_representation(self, value) -> dict | None:
        if self._reasons is None:
            self._reasons = {reason.pk: reason for reason in WaitingReason.objects.all()}
        reason = self._reasons.get(value)
        if reason is None:
            return None
        return {"code": reason.code, "label": reason.name, "explanation": reason.explanation,
                "stops_clock": reason.stops_clock}


class AgencyLetterOutput(serializers.Serializer):
    agency = serializers.CharField(help_text="The agency's code.")
    agency_name = serializers.CharField()
    letter_number = serializers.CharField()
    letter_date = serializers.DateField(allow_null=True)


class LoginInput(StrictSerializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class CaseListQuery(StrictSerializer):
    queue = StrictChoiceField(choices=QUEUES, required=False, default="all")
    kind = kind_field()
    status = status_field(required=False)
    category = StrictCharField(max_length=48, required=False)
    school = StrictCharField(max_length=16, required=False, help_text="A school's OBEC code.")
    channel = channel_field(required=False)
    q = StrictCharField(max_length=200, required=False,
                        help_text="Words (Thai or English), numbers or a tracking number, found anywhere in the "
                                  "title, description or the office's replies.")
    priority = priority_field(required=False)
    unit = StrictCharField(max_length=32, required=False, help_text="Unit code.")
    assignee = StrictCharField(max_length=150, required=False, help_text="Username.")
    submitted_after = BoundedDateTimeField(required=False)
    submitted_before = BoundedDateTimeField(required=False)
    due_after = BoundedDateTimeField(required=False, help_text="Earliest running deadline at or after.")
    due_before = BoundedDateTimeField(required=False, help_text="Earliest running deadline before.")
    ordering = StrictChoiceField(choices=ORDERINGS, required=False, default="due",
                                 help_text="`due` (soonest deadline first, default), `newest`, `oldest`.")
    cursor = StrictCharField(max_length=300, required=False, help_text="Opaque cursor from `next`.")
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False,
                                         default=DEFAULT_PAGE_SIZE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False


class StaffIntakeInput(CaseIntakeFields):
    kind = kind_field()
    channel = channel_field()
    priority = priority_field(required=False, default="normal")
    unit = StrictCharField(max_length=32, required=False, help_text="Unit code; co-decision items default to yours.")
    language = StrictChoiceField(choices=["th", "en"], required=False, default="th",
                                 help_text="The citizen's language for what we send them.")
    received_from = StrictCharField(max_length=48, required=False,
                                    help_text="Code of the agency that sent the case (e.g. `damrongdham`).")
    received_letter_number = StrictCharField(max_length=64, required=False, allow_blank=True, default="",
                                             help_text="The sending agency's letter number.")
    received_letter_date = BoundedDateField(required=False, allow_null=True, default=None,
                                            help_text="Its date (YYYY-MM-DD).")


class CaseListItemOutput(serializers.Serializer):
    tracking_number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = ChoiceLabelField(source="status", choices=Status)
    title = serializers.CharField()
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    priority = serializers.CharField()
    channel = serializers.CharField()
    escalation_level = serializers.IntegerField()
    submitted_at = ResponseDateTimeField()
    updated_at = ResponseDateTimeField()
    expected_response_by = ResponseDateTimeField(source="resolve_due_at", allow_null=True)
    sla_due_at = ResponseDateTimeField(allow_null=True, help_text="Earliest deadline of a running clock.")
    waiting_reason = WaitingReasonField(help_text="Why a case on hold waits; null otherwise.")

    def to_representation(self, case) -> dict:
        """What Serializer.to_representation gives, for the 50 rows of a page without its per-field
        attribute machinery: each field's own to_representation on the attribute its source names."""
        plan = self._plan()
        row = {}
        for name, path, field in plan:
            value = case
            for attribute in path:
                value = getattr(value, attribute)
                if value is None:
                    break
            if callable(value):
                value = value()
            row[name] = None if value is None else field.to_representation(value)
        return row

    def _plan(self) -> list:
        plan = getattr(self, "_row_plan", None)
        if plan is None:
            plan = self._row_plan = [(field.field_name, tuple(field.source_attrs), field)
                                     for field in self._readable_fields]
        return plan


class CasePageOutput(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last one.")
    previous = serializers.URLField(allow_null=True, help_text="Always null: pages go forward from the first.")
    results = CaseListItemOutput(many=True)


class ContactOutput(serializers.Serializer):
    name = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    line_id = serializers.CharField(required=False)


class SatisfactionOutput(serializers.Serializer):
    score = serializers.IntegerField(source="satisfaction_score")
    comment = serializers.CharField(source="satisfaction_comment")
    at = ResponseDateTimeField(source="feedback_at")


class PauseOutput(serializers.Serializer):
    started_at = ResponseDateTimeField()
    ended_at = ResponseDateTimeField(allow_null=True)
    reason = serializers.CharField()


class ClockOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="`acknowledge` or `resolve`.")
    calendar = serializers.CharField(help_text="`business` or `24x7`.")
    budget_seconds = serializers.FloatField()
    started_at = ResponseDateTimeField()
    due_at = ResponseDateTimeField(allow_null=True)
    elapsed_seconds = serializers.IntegerField(help_text="On the clock's calendar; paused time excluded.")
    remaining_seconds = serializers.IntegerField(help_text="Negative once overdue.")
    paused = serializers.BooleanField()
    paused_intervals = PauseOutput(many=True)
    met_at = ResponseDateTimeField(allow_null=True)
    breached = serializers.BooleanField()
    steps_applied = serializers.IntegerField(help_text="Escalation-ladder steps already applied.")


class CaseDetailOutput(CaseListItemOutput):
    kind_label = ChoiceLabelField(source="kind", choices=Kind)
    description = serializers.CharField()
    category_name = serializers.CharField(source="category.name", allow_null=True, default=None)
    unit_name = serializers.CharField(source="unit.name", allow_null=True, default=None)
    school = serializers.CharField(source="school.code", allow_null=True, default=None)
    school_name = serializers.CharField(source="school.name", allow_null=True, default=None)
    anonymous = serializers.BooleanField()
    sealed = serializers.BooleanField()
    contact = serializers.SerializerMethodField(
        help_text="The requester's contact details; null for anonymous and for sealed cases."
    )
    language = serializers.CharField()
    duplicate_of = serializers.CharField(source="duplicate_of.tracking_number", allow_null=True, default=None)
    follows = serializers.CharField(source="follows.tracking_number", allow_null=True, default=None,
                                    help_text="The closed case this one continues (the citizen's earlier case).")
    waiting_until = ResponseDateTimeField(allow_null=True, help_text="When a case on hold resumes by itself.")
    referred_to = serializers.SerializerMethodField(help_text="The agency the case was last referred to.")
    received_from = serializers.SerializerMethodField(help_text="The agency the case was received from.")
    acknowledged_at = ResponseDateTimeField(allow_null=True)
    responded_at = ResponseDateTimeField(allow_null=True)
    closed_at = ResponseDateTimeField(allow_null=True)
    consultation_opens_at = ResponseDateTimeField(allow_null=True)
    consultation_closes_at = ResponseDateTimeField(allow_null=True)
    satisfaction = serializers.SerializerMethodField()
    clocks = ClockOutput(many=True, source="clocks_view")
    available_transitions = serializers.ListField(child=serializers.CharField())

    def get_contact(self, case) -> ContactOutput(allow_null=True):  # type: ignore[valid-type]
        # Sealed identities are revealed only through the audited reveal of the integrity workspace; a committee
        # member reading an item before their committee gets none (core.access.office_sees_case).
        if case.sealed or case.anonymous or not case.contact_encrypted or getattr(case, "contact_withheld", False):
            return None
        return decrypt_json(case.contact_encrypted)

    def get_referred_to(self, case) -> AgencyLetterOutput(allow_null=True):  # type: ignore[valid-type]
        return _letter(case.referred_to, case.referral_letter_number, case.referral_letter_date)

    def get_received_from(self, case) -> AgencyLetterOutput(allow_null=True):  # type: ignore[valid-type]
        return _letter(case.received_from, case.received_letter_number, case.received_letter_date)

    def get_satisfaction(self, case) -> SatisfactionOutput(allow_null=True):  # type: ignore[valid-type]
        return SatisfactionOutput(case).data if case.feedback_at else None


def _letter(agency, number: str, day) -> dict | None:
    if agency is None:
        return None
    return {"agency": agency.code, "agency_name": agency.name, "letter_number": number,
            "letter_date": day.isoformat() if day else None}


class CaseCreatedOutput(serializers.Serializer):
    access_key = serializers.CharField(
        allow_null=True, help_text="Give it to the citizen: shown once, only its hash is kept. Null for a sealed "
                                   "report: its key is issued by the integrity unit (cases/{tracking}/access-key/).")
    case = CaseDetailOutput()


# One count per queue, named after the queues themselves.
QueueCountsOutput = type("QueueCountsOutput", (serializers.Serializer,),
                         {queue: serializers.IntegerField() for queue in QUEUES})


class EventOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    at = ResponseDateTimeField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    actor_kind = serializers.CharField()
    type = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    data = serializers.JSONField()
    visibility = serializers.CharField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()


class ChainReportOutput(serializers.Serializer):
    tracking_number = serializers.CharField()
    events = serializers.IntegerField()
    ok = serializers.BooleanField()
    broken_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    checkpointed_seq = serializers.IntegerField(
        help_text="Events up to this one are held by a signed checkpoint (a key outside the database).")
