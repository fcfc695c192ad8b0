"""What staff call each transition, in their language (the codes stay the API's)."""

from django.utils.translation import gettext_lazy as _

TRANSITION_LABELS = {
    "assign": _("Assign"),
    "accept": _("Accept (within our mandate)"),
    "reject": _("Reject (outside our mandate)"),
    "merge": _("Merge into another case"),
    "refer": _("Refer to another agency"),
    "record_agency_reply": _("Record the agency's reply"),
    "hold": _("Put on hold"),
    "request_info": _("Ask the citizen for information"),
    "resume": _("Resume work"),
    "respond": _("Answer the citizen"),
    "reopen": _("Reopen"),
    "close": _("Close"),
    "dismiss": _("Dismiss (no grounds)"),
    "refer_for_inquiry": _("Refer for disciplinary inquiry"),
    "conclude": _("Conclude and tell the reporter"),
    "consider": _("Take up for consideration"),
    "adopt": _("Adopt"),
    "note": _("Keep for future planning"),
    "decline": _("Decline"),
    "open_consultation": _("Open the consultation"),
    "start_deliberation": _("Start committee deliberation"),
    "decide": _("Record the decision"),
    "start_implementation": _("Start implementation"),
    "complete": _("Complete"),
    "withdraw": _("Withdraw"),
    "escalate": _("Escalate one level"),
}


def transition_label(name: str) -> str:
    return str(TRANSITION_LABELS.get(name, name))


EVENT_LABELS = {
    "submit": _("Received"),
    "note": _("Internal note"),
    "reply": _("Message to the citizen"),
    "claim": _("Claimed"),
    "reassign": _("Reassigned"),
    "citizen_message": _("The citizen wrote"),
    "feedback": _("The citizen rated the answer"),
    "sla_step": _("Deadline step"),
    "identity_read": _("Reporter's identity read"),
    "attachment": _("File attached"),
    "access_key_issued": _("Access key issued"),
    "access_key_rotated": _("The citizen replaced the access key"),
    "contact_removed": _("Contact details removed (retention period ended)"),
    "correct": _("Category or priority corrected"),
    "redact": _("Personal data removed from the text"),
}


def event_label(event_type: str) -> str:
    return str(EVENT_LABELS.get(event_type) or TRANSITION_LABELS.get(event_type, event_type))


# What each notification in the bell says (by the outbox template that announced it).
NOTIFICATION_LABELS = {
    "assignment": _("Assigned to you"),
    "citizen_message": _("The citizen added information"),
    "low_satisfaction": _("The citizen rated the answer 1 or 2"),
    "escalation": _("Escalated to you"),
    "sla_warning": _("Deadline approaching"),
    "sla_overdue": _("Past its deadline"),
    "reopened": _("The citizen asked to reopen the case"),
    "wait_over": _("A wait ended: back in progress"),
}


def notification_label(template: str) -> str:
    return str(NOTIFICATION_LABELS.get(template, template))
