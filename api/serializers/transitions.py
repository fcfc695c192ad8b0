"""The body each transition takes: ``comment`` (internal note) plus its own parameters.

Names are shared across kinds (``assign``, ``close``...) and always take the same parameters.
"""

from rest_framework import serializers

from api.fields import BoundedDateField, BoundedDateTimeField, StrictCharField, StrictIntegerField, StrictSerializer

TEXT = 5_000


def _text(**kwargs) -> StrictCharField:
    return StrictCharField(max_length=TEXT, **kwargs)


class TransitionInput(StrictSerializer):
    comment = _text(required=False, allow_blank=True, default="", help_text="Internal note kept in the audit trail.")


class AssignInput(TransitionInput):
    unit = StrictCharField(max_length=32, required=False, help_text="Unit code.")
    assignee = StrictCharField(max_length=150, required=False, help_text="Username of an officer of the unit.")


class ReasonInput(TransitionInput):
    reason = _text()


class OptionalReasonInput(TransitionInput):
    reason = _text(required=False, allow_blank=True, default="")


class MergeInput(TransitionInput):
    duplicate_of = StrictCharField(max_length=64, help_text="Tracking number of the case to keep.")


class ReferInput(TransitionInput):
    agency = StrictCharField(max_length=48, help_text="Code of a configured agency (`GET admin/agencies/`); its name "
                                                      "is told to the citizen, and it is emailed a summary.")
    letter_number = StrictCharField(max_length=64, help_text="The office's letter number (เลขที่หนังสือ).")
    letter_date = BoundedDateField(help_text="The letter's date (YYYY-MM-DD, Gregorian); not in the future.")


class AgencyReplyInput(TransitionInput):
    summary = _text(help_text="What the agency answered (internal: the office then answers the citizen).")
    letter_number = StrictCharField(max_length=64, required=False, allow_blank=True, default="",
                                    help_text="The agency's letter number, if it answered by letter.")
    letter_date = BoundedDateField(required=False, allow_null=True, default=None, help_text="Its date.")


class HoldInput(TransitionInput):
    waiting_reason = StrictCharField(max_length=32, help_text="Code of a configured waiting reason "
                                                              "(`GET admin/waiting-reasons/`).")
    note = _text(required=False, allow_blank=True, default="", help_text="Told to the citizen with the reason.")


class QuestionInput(TransitionInput):
    question = _text()


class ReplyInput(TransitionInput):
    reply = _text()


class SummaryInput(TransitionInput):
    summary = _text()


class OptionalSummaryInput(TransitionInput):
    summary = _text(required=False, allow_blank=True, default="")


class AnswerInput(TransitionInput):
    answer = _text()


class ConsultationInput(TransitionInput):
    opens_at = BoundedDateTimeField()
    closes_at = BoundedDateTimeField()
    committee = StrictCharField(max_length=32, help_text="The code of the committee that decides the item.")
    decision_days = StrictIntegerField(min_value=1, max_value=250, required=False,
                                       help_text="Business days the committee has to decide after the consultation "
                                                 "closes (default 30).")

    def validate(self, attrs):
        if attrs["closes_at"] <= attrs["opens_at"]:
            raise serializers.ValidationError({"closes_at": ["Must be after opens_at."]})
        return attrs


class DecideInput(TransitionInput):
    decision = _text()
    resolution = StrictIntegerField(min_value=1, help_text="The resolution the committee's meeting recorded about "
                                                           "this item, with each member's vote.")


TRANSITION_INPUTS: dict[str, type[TransitionInput]] = {
    "assign": AssignInput,
    "reject": ReasonInput,
    "merge": MergeInput,
    "refer": ReferInput,
    "record_agency_reply": AgencyReplyInput,
    "hold": HoldInput,
    "request_info": QuestionInput,
    "respond": ReplyInput,
    "reopen": OptionalReasonInput,
    "dismiss": ReasonInput,
    "refer_for_inquiry": OptionalReasonInput,
    "conclude": SummaryInput,
    "adopt": AnswerInput,
    "note": AnswerInput,
    "decline": AnswerInput,
    "open_consultation": ConsultationInput,
    "decide": DecideInput,
    "complete": OptionalSummaryInput,
    "withdraw": ReasonInput,
    "escalate": OptionalReasonInput,
}


def transition_input_for(name: str) -> type[TransitionInput]:
    """Transitions not listed (accept, resume, close...) take only a comment."""
    return TRANSITION_INPUTS.get(name, TransitionInput)


class TransitionRequestDoc(TransitionInput):
    """For the OpenAPI schema only: every parameter any transition takes."""

    unit = StrictCharField(required=False, help_text="assign")
    assignee = StrictCharField(required=False, help_text="assign")
    reason = StrictCharField(required=False, help_text="reject, dismiss, withdraw (required); reopen, refer_for_inquiry, escalate")
    duplicate_of = StrictCharField(required=False, help_text="merge")
    agency = StrictCharField(required=False, help_text="refer")
    letter_number = StrictCharField(required=False, help_text="refer (required), record_agency_reply")
    letter_date = serializers.DateField(required=False, help_text="refer (required), record_agency_reply")
    waiting_reason = StrictCharField(required=False, help_text="hold")
    note = StrictCharField(required=False, help_text="hold")
    question = StrictCharField(required=False, help_text="request_info")
    reply = StrictCharField(required=False, help_text="respond")
    summary = StrictCharField(required=False, help_text="conclude, record_agency_reply (required); complete")
    answer = StrictCharField(required=False, help_text="adopt, note, decline")
    opens_at = serializers.DateTimeField(required=False, help_text="open_consultation")
    closes_at = serializers.DateTimeField(required=False, help_text="open_consultation")
    committee = StrictCharField(required=False, help_text="open_consultation")
    decision_days = StrictIntegerField(required=False, help_text="open_consultation")
    decision = StrictCharField(required=False, help_text="decide")
    resolution = StrictIntegerField(required=False, help_text="decide")
