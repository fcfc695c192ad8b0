"""The forms of the workspace's participation pages: a consultation's questions, moderation, themes and milestones;
a committee's meetings and resolutions (docs/participation.md)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import CommitteePosition, QuestionKind, SurveySubject, VoteChoice
from core.validators import storable_moment
from portal.forms import PortalForm, TextField
from workspace.forms import CasePageForm, _text


class QuestionsForm(CasePageForm):
    page_id = "questions"
    questions_th = TextField(label=_("Questions (Thai), one per line"), max_length=5_000, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    questions_en = TextField(label=_("The same questions in English (optional), one per line, in the same order"),
                             max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        thai = [line.strip() for line in (data.get("questions_th") or "").splitlines() if line.strip()]
        english = [line.strip() for line in (data.get("questions_en") or "").splitlines() if line.strip()]
        if english and len(english) != len(thai):
            self.add_error("questions_en", _("Give as many English lines as Thai ones, or none."))
            return data
        data["questions"] = [{"th": th, "en": english[n] if english else ""} for n, th in enumerate(thai)]
        return data


class HideForm(PortalForm):
    reason = forms.CharField(label=_("Why it is hidden"), max_length=500,
                             help_text=_("Recorded in the audit trail and told to its author on the opinion's page."))

    def __init__(self, *args, number: str = "", **kwargs):
        kwargs.setdefault("auto_id", f"id_hide-{number}-%s")
        super().__init__(*args, **kwargs)


class ThemeForm(PortalForm):
    title = forms.CharField(label=_("Theme"), max_length=300)
    answer = _text(_("The office's answer (public)"), required=False,
                   help_text=_("Shown on the item's page and to the authors of the theme's opinions; its followers are "
                               "told."))
    opinions = forms.MultipleChoiceField(label=_("Opinions it gathers"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, opinions=(), theme_id: int | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"id_theme-{theme_id or 'new'}-%s")
        super().__init__(*args, **kwargs)
        self.fields["opinions"].choices = [
            (opinion.tracking_number, f"{opinion.tracking_number} · {opinion.get_stance_display()} · "
                                      f"{opinion.body[:60]}") for opinion in opinions]


class MilestoneForm(PortalForm):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    percent = forms.IntegerField(label=_("Done (percent)"), min_value=0, max_value=100)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    done_on = forms.DateField(label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = TextField(label=_("Note (public)"), max_length=2_000, required=False,
                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, milestone_id: int | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"id_milestone-{milestone_id or 'new'}-%s")
        super().__init__(*args, **kwargs)


class MeetingForm(PortalForm):
    number = forms.CharField(label=_("Meeting number"), max_length=32, help_text=_('As the minutes number it, e.g. '
                                                                                   '"1/2569".'))
    held_at = forms.DateTimeField(label=_("Held at"), validators=[storable_moment], widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(label=_("Link (online meeting)"), max_length=300, required=False, assume_scheme="https")
    present = forms.TypedMultipleChoiceField(label=_("Present"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    agenda = forms.MultipleChoiceField(label=_("Agenda items"), required=False, widget=forms.CheckboxSelectMultiple)
    minutes = TextField(label=_("Minutes"), max_length=50_000, required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, members=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, f"{m.name} ({m.get_position_display()})") for m in members]
        self.fields["agenda"].choices = [(case.tracking_number, f"{case.tracking_number} · {case.title[:80]}")
                                         for case in items]


VOTE_CHOICES = [("", _("Choose"))] + VoteChoice.choices


class ResolutionForm(PortalForm):
    """A motion on an agenda item and one vote field (and a conflict field) per member present."""

    case = forms.ChoiceField(label=_("Agenda item"))
    motion = _text(_("Motion"))
    chair_casts = forms.ChoiceField(label=_("The chair's casting vote on a tie"), required=False, choices=[
        ("", _("None")), ("for", _("For")), ("against", _("Against"))])

    def __init__(self, *args, items=(), present=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("Choose an item"))] + [
            (case.tracking_number, f"{case.tracking_number} · {case.title[:80]}") for case in items]
        self.members = list(present)
        for member in self.members:
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=_("Vote of %(name)s") % {"name": member.name}, choices=VOTE_CHOICES)
            self.fields[f"conflict_{member.pk}"] = forms.CharField(
                label=_("Conflict of interest %(name)s declared (if recused)") % {"name": member.name},
                max_length=500, required=False)
        self.plain_words()

    def votes(self) -> tuple[dict[int, str], dict[int, str]]:
        data = self.cleaned_data
        votes = {m.pk: data[f"vote_{m.pk}"] for m in self.members}
        conflicts = {m.pk: data[f"conflict_{m.pk}"] for m in self.members if data.get(f"conflict_{m.pk}")}
        return votes, conflicts



class SurveyCreateForm(PortalForm):
    code = forms.SlugField(label=_("Short code (for its address)"), max_length=48,
                           help_text=_("Latin letters, digits and hyphens, e.g. service-2570."))
    title_th = forms.CharField(label=_("Title (Thai)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English, optional)"), max_length=300, required=False)
    description_th = TextField(label=_("Description (Thai)"), max_length=5_000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    subject = forms.ChoiceField(label=_("About"), choices=SurveySubject.choices)
    groups = forms.MultipleChoiceField(label=_("Aimed at"), required=False, widget=forms.CheckboxSelectMultiple,
                                       help_text=_("None: anyone may answer, naming their group or not."))
    opens_at = forms.DateTimeField(label=_("Opens"), validators=[storable_moment], widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    closes_at = forms.DateTimeField(label=_("Closes"), validators=[storable_moment], widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    invitation_only = forms.BooleanField(label=_("Only through invitation links (one response each)"),
                                         required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.code, g.name) for g in groups]


class SurveyQuestionForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    text_th = forms.CharField(label=_("Question (Thai)"), max_length=500)
    text_en = forms.CharField(label=_("Question (English, optional)"), max_length=500, required=False)
    choices = TextField(label=_("Choices, one per line (Thai | English)"), max_length=5_000, required=False,
                        widget=forms.Textarea(attrs={"rows": 4}), help_text=_("For one choice or several choices."))
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    def parsed_choices(self) -> list[dict[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("choices") or "").splitlines():
            thai, _bar, english = line.partition("|")
            if thai.strip():
                rows.append({"th": thai.strip(), "en": english.strip()})
        return rows


class InvitationsForm(PortalForm):
    count = forms.IntegerField(label=_("How many invitation links"), min_value=1, max_value=500)
    group = forms.ChoiceField(label=_("For the group"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Any group"))] + [(g.code, g.name) for g in groups]


class MemberForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.ChoiceField(label=_("Position"), choices=CommitteePosition.choices)
    group = forms.ChoiceField(label=_("Represents"), required=False)
    username = forms.CharField(label=_("Account (username), if they sign in"), max_length=150, required=False)
    term_start = forms.DateField(label=_("Term starts"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, code: str, groups=(), **kwargs):
        kwargs.setdefault("auto_id", f"id_member-{code}-%s")
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("No group"))] + [(g.code, g.name) for g in groups]


class MemberEndForm(PortalForm):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    term_end = forms.DateField(label=_("Last day served"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Why"), max_length=300,
                             help_text=_("A new appointing order, resignation, the term ran out..."))

    def __init__(self, *args, code: str, members=(), **kwargs):
        kwargs.setdefault("auto_id", f"id_end-{code}-%s")
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.name) for m in members]
