"""The workspace's forms: Django forms, so that errors sit next to their field in the reader's language (Thai
first) and what was typed stays. The services behind them check everything again; a form only catches what it
can say best next to a field."""

from django import forms
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.catalog import categories_active
from core.choices import Channel, Kind, Priority, Status
from core.keyset import ORDERINGS
from core.models import Agency, Committee, Membership, ReplyTemplate, Resolution, Unit, WaitingReason
from core.queues import QUEUES
from core.schools import school_typed
from core.validators import storable_moment
from portal.forms import KindGroupedSelect, PortalForm, SchoolInput, TextField, category_choices
from reports.documents import report_title
from reports.forms import StatisticsPeriodForm
from workflows.params import DEFAULT_DECISION_DAYS

TEXT = 5_000


class SignInForm(PortalForm):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}))
    password = forms.CharField(label=_("Password"), max_length=256, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(PortalForm):
    code = forms.CharField(label=_("The 6-digit code from your authenticator app"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "pattern": "[0-9]{6}"}))

    def clean_code(self) -> str:
        value = self.cleaned_data["code"].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return value


QUEUE_LABELS = {
    "mine": _("Mine"), "unit": _("My units"), "unassigned": _("Unassigned"), "overdue": _("Overdue"),
    "at_risk": _("At risk"), "escalated": _("Escalated to me"), "all": _("All I can see"),
}
ORDERING_LABELS = {"due": _("Nearest deadline first"), "newest": _("Newest first"), "oldest": _("Oldest first")}


def _blank(label) -> list:
    return [("", label)]


class QueueFilterForm(PortalForm):
    """Every filter of the staff API's queue (GET cases/), as a form."""

    queue = forms.ChoiceField(choices=[(q, QUEUE_LABELS[q]) for q in QUEUES], required=False)
    q = forms.CharField(label=_("Search"), max_length=200, required=False,
                        help_text=_("Words in the title, description or answers, or a tracking number."))
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(_("Any kind")) + list(Kind.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(_("Any status")) + list(Status.choices),
                               required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=_blank(_("Any priority")) + list(Priority.choices),
                                 required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=_blank(_("Any channel")) + list(Channel.choices),
                                required=False)
    category = forms.CharField(label=_("Category code"), max_length=48, required=False)
    unit = forms.CharField(label=_("Unit code"), max_length=32, required=False)
    school = forms.CharField(label=_("School code"), max_length=16, required=False)
    assignee = forms.CharField(label=_("Assignee (username)"), max_length=150, required=False)
    submitted_after = forms.DateField(label=_("Received from"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    submitted_before = forms.DateField(label=_("Received before"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    ordering = forms.ChoiceField(label=_("Order"), choices=[(o, ORDERING_LABELS[o]) for o in ORDERINGS],
                                 required=False)
    cursor = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)

    def shown_values_key(self) -> str:
        """The values the filter fields show, as one string: the key of their rendered HTML (the queue and the
        page's cursor are not among the fields shown)."""
        return urlencode([(name, self.data.get(name, "")) for name in self.fields if name not in ("queue", "cursor")])

    def filters(self) -> dict:
        """The queue's filters as ``core.queues.queue_and_search`` takes them (dates as Bangkok midnights)."""
        data = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        for name in ("submitted_after", "submitted_before"):
            if name in data:
                day = data[name]
                data[name] = timezone.make_aware(timezone.datetime(day.year, day.month, day.day))
        return data


# What each transition asks for: (parameter, field). A transition not listed takes only the internal comment.
def _text(label, *, required=True, help_text="") -> TextField:
    return TextField(label=label, max_length=TEXT, required=required, help_text=help_text,
                     widget=forms.Textarea(attrs={"rows": 4}))


def _letter_date(label, *, required=True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


def _agency_choices(case) -> list:
    agencies = Agency.objects.filter(active=True)
    if case.sealed:
        agencies = agencies.filter(handles_corruption=True)
    return _blank(_("Choose an agency")) + [(agency.code, agency.name) for agency in agencies]


def transition_fields(name: str, case) -> dict[str, forms.Field]:
    """The fields of transition ``name``'s form on ``case`` (its parameters; the comment is added to all)."""
    public = _("The citizen reads this.")
    fields: dict[str, forms.Field] = {}
    if name in ("reject", "dismiss", "withdraw"):
        fields["reason"] = _text(_("Reason"), help_text=public if name != "dismiss" else "")
    elif name in ("reopen", "refer_for_inquiry", "escalate"):
        fields["reason"] = _text(_("Reason"), required=False)
    elif name == "merge":
        fields["duplicate_of"] = forms.CharField(label=_("Tracking number of the case to keep"), max_length=64)
    elif name == "refer":
        fields["agency"] = forms.ChoiceField(label=_("Agency"), choices=_agency_choices(case))
        fields["letter_number"] = forms.CharField(label=_("Letter number"), max_length=64)
        fields["letter_date"] = _letter_date(_("Letter date"))
    elif name == "record_agency_reply":
        fields["summary"] = _text(_("What the agency answered"), help_text=_("Internal: staff only."))
        fields["letter_number"] = forms.CharField(label=_("Its letter number"), max_length=64, required=False)
        fields["letter_date"] = _letter_date(_("Its letter date"), required=False)
    elif name == "hold":
        reasons = WaitingReason.objects.filter(active=True)
        fields["waiting_reason"] = forms.ChoiceField(
            label=_("Waiting for"), choices=_blank(_("Choose a reason")) + [(r.code, r.name) for r in reasons])
        fields["note"] = _text(_("Note for the citizen"), required=False, help_text=public)
    elif name == "request_info":
        fields["question"] = _text(_("Question for the citizen"), help_text=public)
    elif name == "respond":
        fields["reply"] = _text(_("Answer"), help_text=public)
    elif name in ("conclude", "complete"):
        fields["summary"] = _text(_("Summary"), required=name == "conclude", help_text=public)
    elif name in ("adopt", "note", "decline"):
        fields["answer"] = _text(_("Answer"), help_text=public)
    elif name == "open_consultation":
        fields["opens_at"] = forms.DateTimeField(label=_("Opens"), validators=[storable_moment], widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        fields["closes_at"] = forms.DateTimeField(label=_("Closes"), validators=[storable_moment], widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        fields["committee"] = forms.ChoiceField(label=_("Committee"), choices=_blank(_("Choose a committee")) + [
            (committee.code, committee.name) for committee in Committee.objects.filter(active=True)])
        fields["decision_days"] = forms.IntegerField(
            label=_("Business days to decide"), min_value=1, max_value=250, initial=DEFAULT_DECISION_DAYS,
            help_text=_("Counted from the close of the consultation; the reminders and escalations follow them."))
    elif name == "decide":
        fields["decision"] = _text(_("Decision"), help_text=public)
        fields["resolution"] = forms.TypedChoiceField(
            label=_("The committee's resolution"), coerce=int, choices=resolution_choices(case),
            help_text=_("Recorded at the committee's meeting, with each member's vote."))
    elif name == "assign":
        fields["assignee"] = forms.ChoiceField(label=_("Officer"), choices=assignee_choices(case), required=False)
        fields["unit"] = forms.ChoiceField(label=_("Unit"), choices=unit_choices(case), required=False)
    fields["comment"] = TextField(label=_("Internal note (optional)"), max_length=TEXT, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Kept in the audit trail; the citizen does not see it."))
    return fields


def resolution_choices(case) -> list[tuple[int, str]]:
    """The resolutions recorded about the item, newest first, each with its meeting and its votes."""
    choices = []
    for resolution in Resolution.objects.filter(case=case).select_related("meeting").order_by("-recorded_at"):
        outcome = _("adopted") if resolution.adopted else _("not adopted")
        choices.append((resolution.pk, _("Meeting %(number)s: %(motion)s (%(outcome)s: %(for)s for, %(against)s "
                                         "against, %(abstain)s abstaining)") % {
            "number": resolution.meeting.number, "motion": resolution.motion[:80], "outcome": outcome,
            "for": resolution.in_favour, "against": resolution.against, "abstain": resolution.abstain}))
    return choices


class TransitionForm(PortalForm):
    def __init__(self, *args, name: str, case, **kwargs):
        super().__init__(*args, prefix=name, **kwargs)
        self.name = name
        self.fields.update(transition_fields(name, case))
        self.plain_words()

    def params(self) -> tuple[dict, str]:
        """(the transition's parameters, the internal comment)."""
        data = dict(self.cleaned_data)
        comment = data.pop("comment", "")
        if self.name == "assign" and not data.get("unit"):
            data.pop("unit", None)
        if self.name == "assign" and not data.get("assignee"):
            data.pop("assignee", None)
        if self.name == "record_agency_reply" and data.get("letter_date") is None:
            data.pop("letter_date", None)
        return data, comment


def assignee_choices(case) -> list:
    members = (Membership.objects.filter(unit_id=case.unit_id, user__is_active=True).select_related("user")
               .order_by("user__first_name", "user__username")) if case.unit_id else []
    return _blank(_("Nobody yet")) + [(m.user.username, m.user.get_full_name() or m.user.username) for m in members]


def unit_choices(case) -> list:
    units = Unit.objects.filter(active=True)
    if case.sealed:
        units = units.filter(is_integrity=True)
    return _blank(_("Keep the unit")) + [(unit.code, unit.name) for unit in units]


class CasePageForm(PortalForm):
    """One of the case page's many forms: its fields' ids carry its name (``id_note-text``), so that two forms'
    fields of the same name are not one id twice on the page; the names they post stay plain."""

    page_id = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.page_id}-%s")
        super().__init__(*args, **kwargs)


class ReplyForm(CasePageForm):
    page_id = "reply"
    text = _text(_("Message to the citizen"), help_text=_("Public: the citizen reads it with the access key."))


class TemplatePickForm(PortalForm):
    template = forms.ChoiceField(label=_("Reply template"), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        templates = ReplyTemplate.objects.filter(active=True).filter(kind__in=["", case.kind])
        self.fields["template"].choices = _blank(_("Choose a template")) + [(t.code, t.title) for t in templates]


class NoteForm(CasePageForm):
    page_id = "note"
    text = _text(_("Internal note"), help_text=_("Staff only."))


class ReassignForm(PortalForm):
    assignee = forms.ChoiceField(label=_("Officer"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = assignee_choices(case)


class BulkReassignForm(PortalForm):
    cases = forms.MultipleChoiceField(label=_("Cases"), widget=forms.CheckboxSelectMultiple)
    assignee = forms.CharField(label=_("Officer (username)"), max_length=150)

    def __init__(self, *args, trackings: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(t, t) for t in trackings]
        self.fields["cases"].error_messages["required"] = _("Select at least one case.")


class AttachmentForm(CasePageForm):
    page_id = "attachment"
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) or text."))


class RevealForm(CasePageForm):
    page_id = "reveal"
    reason = _text(_("Why you need the reporter's identity"),
                   help_text=_("Recorded in the audit trail with your name."))


class StaffIntakeForm(PortalForm):
    """A case that reached the office by phone, letter, walk-in, 1111, Damrongdham... recorded for the citizen."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, Kind(k).label) for k in (Kind.COMPLAINT, Kind.SUGGESTION,
                                                                                      Kind.CORRUPTION)])
    channel = forms.ChoiceField(label=_("Received by"), choices=_blank(_("Choose a channel")) + [
        (c.value, c.label) for c in Channel if c != Channel.WEB])
    category = forms.ChoiceField(label=_("Topic"), widget=KindGroupedSelect)
    priority = forms.ChoiceField(label=_("Priority"), choices=list(Priority.choices), initial=Priority.NORMAL)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = TextField(label=_("What happened"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    school = forms.CharField(label=_("School"), max_length=220, required=False, widget=SchoolInput(),
                             help_text=_("Type the school's name or code and choose it from the list."))
    anonymous = forms.BooleanField(label=_("The citizen wants to stay anonymous"), required=False)
    contact_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Telephone"), max_length=32, required=False)
    contact_email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    language = forms.ChoiceField(label=_("The citizen's language"), choices=[("th", "ไทย"), ("en", "English")],
                                 initial="th")
    received_from = forms.ChoiceField(label=_("Sent to us by an agency"), required=False)
    received_letter_number = forms.CharField(label=_("Its letter number"), max_length=64, required=False)
    received_letter_date = _letter_date(_("Its letter date"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices([Kind.COMPLAINT, Kind.SUGGESTION, Kind.CORRUPTION])
        self.fields["received_from"].choices = _blank(_("No: it came from the citizen")) + [
            (a.code, a.name) for a in Agency.objects.filter(active=True)]

    def clean(self):
        data = super().clean()
        kind, category = data.get("kind"), data.get("category", "")
        if kind and category and not category.startswith(f"{kind}:"):
            self.add_error("category", _("Choose a topic of the kind chosen above."))
        return data

    def clean_school(self) -> str:
        typed = self.cleaned_data["school"].strip()
        school = school_typed(typed) if typed else None
        if typed and school is None:
            raise forms.ValidationError(_("Choose a school from the list, or leave this empty."))
        return school.code if school else ""

    def service_fields(self) -> dict:
        data = self.cleaned_data
        contact = {"name": data["contact_name"], "phone": data["contact_phone"], "email": data["contact_email"]}
        fields = {
            "kind": data["kind"], "channel": data["channel"], "category": data["category"].partition(":")[2],
            "priority": data["priority"], "title": data["title"], "description": data["description"],
            "anonymous": data["anonymous"], "contact": None if data["anonymous"] else contact,
            "language": data["language"], "school": data["school"] or None,
        }
        if data["received_from"]:
            fields.update(received_from=data["received_from"], received_letter_number=data["received_letter_number"],
                          received_letter_date=data["received_letter_date"])
        return fields



class CorrectForm(PortalForm):
    """A corrected category (routed again) or priority: the SLA targets follow."""

    category = forms.ChoiceField(label=_("Category"))
    priority = forms.ChoiceField(label=_("Priority"), choices=list(Priority.choices))
    reason = TextField(label=_("Why (internal)"), max_length=1_000, required=False,
                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {"category": case.category.code if case.category_id else "",
                                      "priority": case.priority})
        super().__init__(*args, prefix="correct", **kwargs)
        self.fields["category"].choices = [(c.code, c.name) for c in categories_active().filter(kind=case.kind)]


class RedactForm(PortalForm):
    """The title and description with personal data taken out (the removed text is kept nowhere)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = TextField(label=_("What happened"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    reason = TextField(label=_("What was removed, in general terms"), max_length=1_000,
                       help_text=_("For example: the citizen's telephone number. Do not repeat the data."),
                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {"title": case.title, "description": case.description})
        super().__init__(*args, prefix="redact", **kwargs)


class ReportDraftForm(StatisticsPeriodForm):
    """A new report: its period (reports.forms) and what it covers."""

    scope = forms.ChoiceField(label=_("Report on"))

    def __init__(self, *args, scopes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(scope, report_title(scope)) for scope in scopes]
        self.fields["scope"].initial = scopes[0] if scopes else None
        self.plain_words()


class ReportAnalysisForm(PortalForm):
    analysis = TextField(label=_("Analysis of problems"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}),
                         help_text=_("What the figures show: the problems most raised, where answers were late."))
    improvements = TextField(label=_("Improvements"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("What the office did, or will do, about them."))


class ReportCorrectForm(PortalForm):
    note = TextField(label=_("What the new version corrects, and why"), max_length=2_000,
                     widget=forms.Textarea(attrs={"rows": 3}))
