"""Who may fire each complaint transition (docs/design.md, "Workflows"): assignee, unit head, director; not others."""

from datetime import date

import pytest

from core.errors import NotFound, PermissionDenied
from tests.conftest import put_in_status, submit, user_named
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db

# transition -> (status to start from, parameters, roles allowed)
COMPLAINT = {
    # Any unit head may triage a case that no unit holds yet.
    "assign": ("submitted", {"assignee": "officer1"}, {"supervisor1", "director", "integrity1"}),
    "accept": ("assigned", {}, {"officer1", "supervisor1", "director"}),
    "reject": ("assigned", {"reason": "นอกอำนาจ"}, {"officer1", "supervisor1", "director"}),
    "merge": ("assigned", "merge", {"officer1", "supervisor1", "director", "clerk1"}),
    "refer": ("in_progress", {"agency": "obec", "letter_number": "ศธ 04001/1", "letter_date": date.today()},
              {"supervisor1", "director"}),
    "record_agency_reply": ("referred", {"summary": "ตอบแล้ว"}, {"officer1", "supervisor1", "director"}),
    "hold": ("in_progress", {"waiting_reason": "awaiting_budget"}, {"officer1", "supervisor1", "director"}),
    "request_info": ("in_progress", {"question": "?"}, {"officer1", "supervisor1", "director"}),
    "resume": ("awaiting_info", {}, {"officer1", "supervisor1", "director"}),
    "resume_after_hold": ("on_hold", {}, {"officer1", "supervisor1", "director"}),
    "respond": ("in_progress", {"reply": "ตอบ"}, {"officer1", "supervisor1", "director"}),
    "reopen": ("responded", {}, {"supervisor1", "director"}),
    "close": ("responded", {}, {"officer1", "supervisor1", "director"}),
    "escalate": ("in_progress", {}, {"officer1", "supervisor1", "director"}),
}
# officer2 works another unit; integrity1 is the sealed channel's; auditors and committee members only read.
USERS = ["officer1", "supervisor1", "director", "clerk1", "officer2", "integrity1", "auditor1", "committee1", "admin"]
CANNOT_SEE_PERSONNEL_CASES = {"officer2", "integrity1", "committee1"}


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("name", list(COMPLAINT))
def test_complaint_transition_permissions(demo, name, username):
    status, params, allowed = COMPLAINT[name]
    unit = None if status == "submitted" else "personnel"
    case = put_in_status(submit().case, status, unit=unit, assignee=user_named("officer1") if unit else None)
    if params == "merge":
        kept = put_in_status(submit().case, "in_progress", unit="personnel")
        params = {"duplicate_of": kept.tracking_number}
    transition = name.removesuffix("_after_hold")
    call = lambda: case_transition(tracking=case.tracking_number, name=transition,  # noqa: E731
                                   actor=user_named(username), params=params)
    if username in allowed:
        moved = call()
        if name == "escalate":  # the second machine: the level moves, the work status does not
            assert (moved.escalation_level, moved.status) == (1, status)
        else:
            assert moved.status != status
        assert moved.events.order_by("-seq").first().type == transition
    elif username in CANNOT_SEE_PERSONNEL_CASES or (unit is None and username == "officer1"):
        with pytest.raises(NotFound):
            call()
    else:
        with pytest.raises(PermissionDenied):
            call()
