"""The case page and what staff do on it. Every action is one service call (workflows/), every read one
selector (core/): the same rules as the staff API, not a second copy of them."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import office_sees_case, staff_profile
from core.audit import chain_verify
from core.choices import Channel, Kind, Priority, Status, choice_label
from core.clocks_view import case_clocks_describe
from core.crypto import decrypt_json
from core.errors import ApplicationError, NotFound, ValidationFailed
from core.models import Agency, ClockKind, PauseReason, WaitingReason
from core.selectors import case_files, case_get_visible, case_timeline
from core.thai_dates import format_date
from workflows.attachments import case_attachment_add, case_attachment_get
from workflows.corrections import case_correct, case_redact
from workflows.permissions import supervises, triages_case, works_case
from workflows.registry import workflow_for
from workflows.staff_work import (
    case_claim,
    case_identity_read,
    case_note_add,
    case_reply_add,
    cases_reassign,
    reply_template_render,
)
from workflows.transitions import case_transition
from workspace.access import staff_page
from workspace.forms import (
    AttachmentForm,
    CorrectForm,
    NoteForm,
    ReassignForm,
    RedactForm,
    ReplyForm,
    RevealForm,
    TemplatePickForm,
    TransitionForm,
)
from workspace.labels import transition_label
from workspace.timeline import timeline_rows
from workspace.views.errors import errors_onto_form, not_found, refusal

# Transitions whose form is shown open (the usual next step); the others sit behind a disclosure.
PRIMARY = {"accept", "respond", "consider", "resume", "record_agency_reply", "conclude"}


def _case(request, tracking: str):
    case = case_get_visible(tracking=tracking, user=request.user)
    return workflow_for(case.kind).cast(case)


@staff_page
@require_http_methods(["GET", "HEAD"])
def case_page(request, tracking: str):
    try:
        case = _case(request, tracking)
    except NotFound:
        return not_found(request)
    forms = {}
    if code := request.GET.get("template"):
        # "Fill in a template": the reply box comes back with the template's text, ready to edit.
        try:
            forms["respond"] = TransitionForm(initial={"reply": reply_template_render(code=code, case=case,
                                                                                      actor=request.user)},
                                              name="respond", case=case)
        except ValidationFailed as error:
            messages.error(request, error.message)
    return _render(request, case, forms)


def _render(request, case, forms: dict, status: int = 200):
    user, now = request.user, timezone.now()
    profile = staff_profile(user)
    names = workflow_for(case.kind).available_transitions(case, user)
    transitions = [(name, forms.get(name) or TransitionForm(name=name, case=case)) for name in names]
    clocks = case_clocks_describe(case, now=now)
    pause_labels = pause_reason_labels() if any(clock["paused_intervals"] for clock in clocks) else {}
    for clock in clocks:
        for pause in clock["paused_intervals"]:
            pause["label"] = pause_labels.get(pause["reason"], pause["reason"])
        used = clock["elapsed_seconds"] / clock["budget_seconds"] * 100 if clock["budget_seconds"] else 0
        clock["percent"] = min(100, round(used))
        clock["used_percent"] = round(used)
        clock["label"] = ClockKind(clock["kind"]).label
    events = timeline_rows(case_timeline(case))
    attachments = case_files(case)
    may_work, may_supervise = works_case(case, user), supervises(case, user)
    may_reveal = case.sealed and (profile.is_director or case.unit_id in profile.integrity_unit_ids)
    may_reassign = may_supervise and case.status not in (Status.SUBMITTED, Status.CLOSED)
    may_correct = may_work and case.status not in (Status.CLOSED, Status.WITHDRAWN)
    may_note = triages_case(case, user)
    context = {
        "case": case,
        "kind_label": Kind(case.kind).label,
        "status_label": Status(case.status).label,
        "channel_label": choice_label(Channel, case.channel),
        "priority_label": choice_label(Priority, case.priority),
        "transitions": transitions,
        "primary": PRIMARY,
        "clocks": clocks,
        "events": events,
        "attachments": attachments,
        "contact": None if case.sealed or case.anonymous or not case.contact_encrypted
        or not office_sees_case(user, case) else decrypt_json(case.contact_encrypted),
        "identity": forms.get("identity"),
        "chain": forms.get("chain"),
        "may_reveal": may_reveal and case.contact_encrypted and not case.anonymous,
        "reveal_form": forms.get("reveal") or (RevealForm() if may_reveal else None),
        "may_work": may_work,
        "may_note": may_note,
        "reply_form": forms.get("reply") or (ReplyForm() if may_work else None),
        "template_form": TemplatePickForm(case=case) if "respond" in names else None,
        "note_form": forms.get("note") or (NoteForm() if may_note else None),
        "attachment_form": forms.get("attachment") or (AttachmentForm() if may_note else None),
        "may_claim": case.assignee_id is None and case.unit_id in profile.unit_ids
        and case.status not in (Status.SUBMITTED, Status.CLOSED),
        "may_reassign": may_reassign,
        "reassign_form": forms.get("reassign") or (ReassignForm(case=case) if may_reassign else None),
        "may_correct": may_correct,
        "correct_form": forms.get("correct") or (CorrectForm(case=case) if may_correct else None),
        "redact_form": forms.get("redact") or (RedactForm(case=case) if may_correct else None),
        "waiting_reason": WaitingReason.objects.filter(pk=case.waiting_reason_id).first()
        if case.waiting_reason_id else None,
        "referred_to": Agency.objects.filter(pk=case.referred_to_id).first() if case.referred_to_id else None,
        "received_from": Agency.objects.filter(pk=case.received_from_id).first() if case.received_from_id else None,
        "letter_date": format_date(case.referral_letter_date),
    }
    return render(request, "workspace/case.html", context, status=status)


def pause_reason_labels() -> dict[str, str]:
    """Why a clock stopped, in words: the engine's own reasons and the configured waiting reasons."""
    labels = {PauseReason.AWAITING_CITIZEN: _("waiting for the citizen's information"),
              PauseReason.ANSWERED: _("answered, before the citizen reopened it"),
              PauseReason.REFERRED: _("with the agency it was referred to")}
    labels.update((reason.code, reason.name) for reason in WaitingReason.objects.all())
    return labels


def _back(case):
    return redirect("workspace:case", tracking=case.tracking_number)


@staff_page
@require_POST
def transition(request, tracking: str, name: str):
    try:
        case = _case(request, tracking)
    except NotFound:
        return not_found(request)
    if name not in workflow_for(case.kind).transition_names():
        return not_found(request)
    form = TransitionForm(request.POST, name=name, case=case)
    if form.is_valid():
        params, comment = form.params()
        try:
            case_transition(tracking=case.tracking_number, name=name, actor=request.user, params=params,
                            comment=comment)
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:
            refusal(request, error)
            return _back(case)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": transition_label(name)})
            return _back(case)
    return _render(request, case, {name: form}, status=400)


def _action(request, tracking: str, form_name: str, make_form, act, done: str):
    """A form posted from the case page (``make_form(case)``, bound to the request): the service call, or the page
    again with the form's errors."""
    try:
        case = _case(request, tracking)
    except NotFound:
        return not_found(request)
    form = make_form(case)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:
            refusal(request, error)
            return _back(case)
        else:
            messages.success(request, done)
            return _back(case)
    return _render(request, case, {form_name: form}, status=400)


@staff_page
@require_POST
def reply(request, tracking: str):
    return _action(request, tracking, "reply", lambda case: ReplyForm(request.POST),
                   lambda case, data: case_reply_add(tracking=case.tracking_number, actor=request.user,
                                                     text=data["text"]),
                   _("The message was sent to the citizen."))


@staff_page
@require_POST
def note(request, tracking: str):
    return _action(request, tracking, "note", lambda case: NoteForm(request.POST),
                   lambda case, data: case_note_add(tracking=case.tracking_number, actor=request.user,
                                                    text=data["text"]),
                   _("The note was added."))


@staff_page
@require_POST
def claim(request, tracking: str):
    try:
        case = _case(request, tracking)
        case_claim(tracking=case.tracking_number, actor=request.user)
    except NotFound:
        return not_found(request)
    except ApplicationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The case is yours now."))
    return redirect("workspace:case", tracking=tracking)


@staff_page
@require_POST
def reassign(request, tracking: str):
    return _action(request, tracking, "reassign", lambda case: ReassignForm(request.POST, case=case),
                   lambda case, data: cases_reassign(trackings=[case.tracking_number], actor=request.user,
                                                     assignee_username=data["assignee"]),
                   _("The case was reassigned."))


@staff_page
@require_POST
def attachment_add(request, tracking: str):
    return _action(request, tracking, "attachment", lambda case: AttachmentForm(request.POST, request.FILES),
                   lambda case, data: case_attachment_add(tracking=case.tracking_number, actor=request.user,
                                                          upload=data["file"]),
                   _("The file was attached."))


@staff_page
@require_http_methods(["GET", "HEAD"])
def attachment_download(request, tracking: str, attachment_id: int):
    try:
        attachment = case_attachment_get(tracking=tracking, user=request.user, attachment_id=attachment_id)
    except NotFound:
        return not_found(request)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_page
@require_POST
def correct(request, tracking: str):
    return _action(request, tracking, "correct", lambda case: CorrectForm(request.POST, case=case),
                   lambda case, data: case_correct(tracking=case.tracking_number, actor=request.user,
                                                   category=data["category"], priority=data["priority"],
                                                   reason=data["reason"]),
                   _("The case was corrected."))


@staff_page
@require_POST
def redact(request, tracking: str):
    return _action(request, tracking, "redact", lambda case: RedactForm(request.POST, case=case),
                   lambda case, data: case_redact(tracking=case.tracking_number, actor=request.user,
                                                  title=data["title"], description=data["description"],
                                                  reason=data["reason"]),
                   _("The personal data was removed."))


@staff_page
@require_http_methods(["GET", "HEAD"])
def verify(request, tracking: str):
    """The case's audit chain checked link by link and against the signed checkpoints (auditors above all)."""
    try:
        case = _case(request, tracking)
    except NotFound:
        return not_found(request)
    return _render(request, case, {"chain": chain_verify(case)})


@staff_page
@require_POST
def reveal(request, tracking: str):
    """The integrity unit or the director reads a sealed reporter's identity, stating why: an audit event."""
    try:
        case = _case(request, tracking)
    except NotFound:
        return not_found(request)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            identity = case_identity_read(tracking=case.tracking_number, actor=request.user,
                                          reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            refusal(request, error)
            return _back(case)
        return _render(request, _case(request, tracking), {"identity": identity or {}, "reveal": RevealForm()})
    return _render(request, case, {"reveal": form}, status=400)

