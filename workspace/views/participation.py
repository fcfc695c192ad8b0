"""The workspace's participation pages (docs/participation.md): an item's consultation (questions, documents,
moderation, themes) and progress, and the committees' meetings and resolutions. Each action is one service call
(workflows.consultation, workflows.follow_up, workflows.participation)."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.choices import Kind
from core.errors import ApplicationError, NotFound, ValidationFailed
from core.models import Case, Committee, Meeting, MeetingDocument, StakeholderGroup
from core.selectors import case_get_visible
from workflows.consultation import (
    consultation_document_publish,
    consultation_open_refusal,
    consultation_questions_set,
    opinion_hide,
    opinions_for,
    theme_save,
)
from workflows.follow_up import PROGRESS_STATUSES, milestone_save
from workflows.participation import (
    committee_member_add,
    committee_member_end,
    committee_serving,
    committees_for,
    may_manage_committees,
    may_record_meetings,
    meeting_document_add,
    meeting_record,
    member_references,
    resolution_record,
)
from workflows.permissions import works_case
from workspace.access import staff_page
from workspace.forms import AttachmentForm
from workspace.participation_forms import (
    HideForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
    MilestoneForm,
    QuestionsForm,
    ResolutionForm,
    ThemeForm,
)
from workspace.views.errors import errors_onto_form, not_found, refusal


def _item(request, tracking: str) -> Case:
    case = case_get_visible(tracking=tracking, user=request.user)
    if case.kind not in (Kind.CODECISION, Kind.SUGGESTION):
        raise NotFound("Not a participation item.")
    return case


def _render_item(request, case: Case, forms: dict, status: int = 200):
    may_work = works_case(case, request.user)
    opinions = opinions_for(case, request.user)
    themes = list(case.opinion_themes.all())
    questions = list(case.consultation_questions.all())
    context = {
        "case": case, "may_work": may_work, "opinions": opinions, "questions": questions,
        "documents": list(case.attachments.all()), "refusal": consultation_open_refusal(case, timezone.now()),
        "themes": [(theme, forms.get(f"theme-{theme.pk}") or ThemeForm(
            opinions=opinions, theme_id=theme.pk, initial={
                "title": theme.title, "answer": theme.answer,
                "opinions": [o.tracking_number for o in opinions if o.theme_id == theme.pk]})) for theme in themes],
        "new_theme_form": forms.get("theme-new") or ThemeForm(opinions=opinions),
        "questions_form": forms.get("questions") or QuestionsForm(initial={
            "questions_th": "\n".join(q.text_th for q in questions),
            "questions_en": "\n".join(q.text_en for q in questions if q.text_en)}),
        "hide_forms": {o.tracking_number: forms.get(f"hide-{o.tracking_number}") or HideForm(number=o.tracking_number)
                       for o in opinions if o.hidden_at is None},
        "milestones": [(m, forms.get(f"milestone-{m.pk}") or MilestoneForm(milestone_id=m.pk, initial={
            "title": m.title, "percent": m.percent, "due_on": m.due_on, "done_on": m.done_on, "note": m.note}))
            for m in case.milestones.all()],
        "may_report_progress": may_work and case.status in PROGRESS_STATUSES.get(case.kind, ()),
        "new_milestone_form": forms.get("milestone-new") or MilestoneForm(),
    }
    return render(request, "workspace/participation/item.html", context, status=status)


@staff_page
@require_http_methods(["GET", "HEAD"])
def item_page(request, tracking: str):
    try:
        return _render_item(request, _item(request, tracking), {})
    except NotFound:
        return not_found(request)


def _item_action(request, tracking: str, form_key: str, form, act, done: str):
    try:
        case = _item(request, tracking)
    except NotFound:
        return not_found(request)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except NotFound:  # a theme, milestone or opinion of another item, or none
            return not_found(request)
        except ApplicationError as error:
            refusal(request, error)
            return redirect("workspace:participation-item", tracking=case.tracking_number)
        else:
            messages.success(request, done)
            return redirect("workspace:participation-item", tracking=case.tracking_number)
    return _render_item(request, case, {form_key: form}, status=400)


@staff_page
@require_POST
def questions(request, tracking: str):
    return _item_action(request, tracking, "questions", QuestionsForm(request.POST),
                        lambda case, data: consultation_questions_set(tracking=case.tracking_number,
                                                                      actor=request.user, questions=data["questions"]),
                        _("The questions were saved."))


@staff_page
@require_POST
def document_publish(request, tracking: str, attachment_id: int):
    try:
        case = _item(request, tracking)
        public = request.POST.get("public") == "1"
        consultation_document_publish(tracking=case.tracking_number, actor=request.user,
                                      attachment_id=attachment_id, public=public)
    except NotFound:
        return not_found(request)
    except ApplicationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The document is on the public page.") if public
                         else _("The document was taken off the public page."))
    return redirect("workspace:participation-item", tracking=tracking)


@staff_page
@require_POST
def hide(request, tracking: str, number: str):
    return _item_action(request, tracking, f"hide-{number}", HideForm(request.POST, number=number),
                        lambda case, data: opinion_hide(number=number, actor=request.user, reason=data["reason"]),
                        _("The opinion is hidden from the public; it is kept with the reason."))


def _opinions(tracking: str, user):
    return list(case_get_visible(tracking=tracking, user=user).opinions.all())


@staff_page
@require_POST
def theme(request, tracking: str, theme_id: int | None = None):
    try:
        opinions = _opinions(tracking, request.user)
    except NotFound:
        return not_found(request)
    form = ThemeForm(request.POST, opinions=opinions, theme_id=theme_id)
    return _item_action(request, tracking, f"theme-{theme_id or 'new'}", form,
                        lambda case, data: theme_save(tracking=case.tracking_number, actor=request.user,
                                                      theme_id=theme_id, title=data["title"], answer=data["answer"],
                                                      opinions=data["opinions"]),
                        _("The theme was saved."))


@staff_page
@require_POST
def milestone(request, tracking: str, milestone_id: int | None = None):
    form = MilestoneForm(request.POST, milestone_id=milestone_id)
    return _item_action(request, tracking, f"milestone-{milestone_id or 'new'}", form,
                        lambda case, data: milestone_save(tracking=case.tracking_number, actor=request.user,
                                                          milestone_id=milestone_id, **data),
                        _("The progress was saved; the public page shows it and followers are told."))


def _render_committees(request, forms: dict | None = None, status: int = 200):
    today, forms = timezone.localdate(), forms or {}
    manages, groups = may_manage_committees(request.user), list(StakeholderGroup.objects.all())
    rows = []
    for committee in committees_for(request.user):
        serving = committee_serving(committee, today)
        code = committee.code
        rows.append({"committee": committee, "serving": serving, "meetings": list(committee.meetings.all()[:20]),
                     "may_record": may_record_meetings(request.user, committee),
                     "member_form": forms.get(f"member-{code}") or (MemberForm(code=code, groups=groups)
                                                                     if manages else None),
                     "end_form": forms.get(f"end-{code}") or (MemberEndForm(code=code, members=serving)
                                                               if manages and serving else None)})
    return render(request, "workspace/participation/committees.html", {"rows": rows, "nav": "committees"},
                  status=status)


@staff_page
@require_http_methods(["GET", "HEAD"])
def committees(request):
    return _render_committees(request)


def _managed_committee(request, code: str) -> Committee | None:
    if not may_manage_committees(request.user):
        return None
    return Committee.objects.filter(code=code, active=True).first()


@staff_page
@require_POST
def member_add(request, code: str):
    committee = _managed_committee(request, code)
    if committee is None:
        return not_found(request)
    form = MemberForm(request.POST, code=code, groups=list(StakeholderGroup.objects.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            user, group = member_references(username=data["username"], group=data["group"])
            committee_member_add(committee=committee, actor=request.user, name=data["name"],
                                 position=data["position"], term_start=data["term_start"], user=user, group=group)
        except ValidationFailed as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The member was appointed."))
            return redirect("workspace:committees")
    return _render_committees(request, {f"member-{code}": form}, status=400)


@staff_page
@require_POST
def member_end(request, code: str):
    committee = _managed_committee(request, code)
    if committee is None:
        return not_found(request)
    form = MemberEndForm(request.POST, code=code,
                         members=committee_serving(committee, timezone.localdate()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            committee_member_end(member_id=data["member"], actor=request.user, term_end=data["term_end"],
                                 reason=data["reason"])
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The term was ended; the member stays on record."))
            return redirect("workspace:committees")
    return _render_committees(request, {f"end-{code}": form}, status=400)


def _committee_items(committee: Committee) -> list[Case]:
    """What a meeting may consider: the committee's open co-decision items and suggestions under consideration."""
    return list(Case.objects.filter(kind__in=(Kind.CODECISION, Kind.SUGGESTION), sealed=False).filter(
        committee=committee).exclude(status__in=["draft", "closed", "withdrawn"]).order_by("-submitted_at")[:200]
        ) + list(Case.objects.filter(kind=Kind.SUGGESTION, status="under_consideration").order_by(
            "-submitted_at")[:200])


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_new(request, code: str):
    committee = next((c for c in committees_for(request.user) if c.code == code), None)
    if committee is None or not may_record_meetings(request.user, committee):
        return not_found(request)
    serving = committee_serving(committee, timezone.localdate())
    items = _committee_items(committee)
    form = MeetingForm(request.POST or None, members=serving, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_record(committee=committee, actor=request.user, number=data["number"],
                                     held_at=data["held_at"], present=set(data["present"]), place=data["place"],
                                     link=data["link"], minutes=data["minutes"], agenda=data["agenda"])
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("workspace:meeting", meeting_id=meeting.pk)
    return render(request, "workspace/participation/meeting_new.html", {
        "committee": committee, "form": form, "nav": "committees"}, status=400 if form.errors else 200)


def _meeting(request, meeting_id: int) -> Meeting:
    allowed = {committee.pk for committee in committees_for(request.user)}
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id, committee_id__in=allowed).first()
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def _render_meeting(request, meeting: Meeting, *, resolution_form=None, document_form=None, status: int = 200):
    attendance = list(meeting.attendance.select_related("member__group").order_by("member__name"))
    present = [row.member for row in attendance if row.present]
    items = list(meeting.agenda.all())
    may_record = may_record_meetings(request.user, meeting.committee)
    return render(request, "workspace/participation/meeting.html", {
        "meeting": meeting, "attendance": attendance, "items": items, "may_record": may_record,
        "resolutions": list(meeting.resolutions.select_related("case").prefetch_related("votes")),
        "documents": list(meeting.documents.all()), "nav": "committees",
        "resolution_form": resolution_form or (ResolutionForm(items=items, present=present) if may_record else None),
        "document_form": document_form or (AttachmentForm() if may_record else None),
    }, status=status)


@staff_page
@require_http_methods(["GET", "HEAD"])
def meeting_page(request, meeting_id: int):
    try:
        return _render_meeting(request, _meeting(request, meeting_id))
    except NotFound:
        return not_found(request)


@staff_page
@require_POST
def resolution(request, meeting_id: int):
    try:
        meeting = _meeting(request, meeting_id)
    except NotFound:
        return not_found(request)
    present = [row.member for row in meeting.attendance.select_related("member").filter(present=True)]
    form = ResolutionForm(request.POST, items=list(meeting.agenda.all()), present=present)
    if form.is_valid():
        votes, conflicts = form.votes()
        try:
            resolution_record(meeting_id=meeting.pk, tracking=form.cleaned_data["case"],
                              motion=form.cleaned_data["motion"], votes=votes, conflicts=conflicts,
                              chair_casts=form.cleaned_data["chair_casts"] or None, actor=request.user)
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:  # no quorum, not allowed: said above the form, nothing written
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The resolution was recorded."))
            return redirect("workspace:meeting", meeting_id=meeting.pk)
    return _render_meeting(request, meeting, resolution_form=form, status=400)


@staff_page
@require_POST
def meeting_document(request, meeting_id: int):
    try:
        meeting = _meeting(request, meeting_id)
    except NotFound:
        return not_found(request)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            meeting_document_add(meeting_id=meeting.pk, actor=request.user, upload=form.cleaned_data["file"])
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("workspace:meeting", meeting_id=meeting.pk)
    return _render_meeting(request, meeting, document_form=form, status=400)


@staff_page
@require_http_methods(["GET", "HEAD"])
def meeting_document_download(request, meeting_id: int, document_id: int):
    try:
        meeting = _meeting(request, meeting_id)
    except NotFound:
        return not_found(request)
    document = MeetingDocument.objects.filter(pk=document_id, meeting=meeting).first()
    if document is None:
        return not_found(request)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
