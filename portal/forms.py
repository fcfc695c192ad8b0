"""The portal's forms: Django forms, so that errors sit next to their field, in the reader's language,
and what was typed stays. The same limits as the public API (api/serializers)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.catalog import categories_active
from core.choices import Kind
from core.models import QuestionKind, School, Stance
from core.schools import school_typed
from core.tracking import tracking_number_parse
from core.validators import phone_validator
from workflows.consultation import OpinionInput


class PortalForm(forms.Form):
    """Plain words, in the reader's language, for a missing or overlong answer."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.plain_words()

    def plain_words(self) -> None:
        """Word the fields' generic errors plainly (again, for fields added after ``__init__``)."""
        for field in self.fields.values():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                choose = isinstance(field, forms.ChoiceField)
                field.error_messages["required"] = _("Please choose one.") if choose else _("Please fill in this field.")
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = _(
                    "Please shorten this to at most %(limit_value)d characters (it has %(show_value)d).")


class TextField(forms.CharField):
    """Multi-line text. Browsers send line breaks as CR LF but count them as one character; counting
    them as one here too keeps a text the browser accepted from being refused as too long."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; each is checked by the attachment service (size, real content type)."""

    def __init__(self, *args, **kwargs):
        # The limits are explained in the template's help text for the field (id_files_helptext).
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.txt",
                                                             "aria-describedby": "id_files_helptext id_files_error"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.PORTAL_MAX_FILES:
            raise forms.ValidationError(_("At most %(count)d files can be attached.") % {"count": settings.PORTAL_MAX_FILES})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SchoolInput(forms.TextInput):
    """A text box with the office's schools as suggestions (an HTML datalist): searchable by name or code as one
    types, with no script, and still a plain text box for a reader whose browser offers no list."""

    template_name = "portal/widgets/school_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, {**(attrs or {}), "list": "schools-list", "autocomplete": "off"})
        context["schools"] = schools_offered()
        return context


def schools_offered() -> list[tuple[str, str]]:
    return [(school.code, f"{school.code} {school.name}") for school in School.objects.filter(active=True)]


class KindGroupedSelect(forms.Select):
    """A <select> whose <optgroup>s carry the kind they belong to (``data-kind``), so the page's
    script can show only the chosen kind's topics; without the script the groups are labelled."""

    template_name = "portal/widgets/kind_grouped_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = [
            {"kind": group_name, "label": Kind(group_name).label if group_name else "", "options": options}
            for group_name, options, _index in context["widget"]["optgroups"]
        ]
        return context


def category_choices(kinds: list[str]) -> list:
    """Grouped by kind (an <optgroup> each), so the form needs no script to match kind and category."""
    grouped: dict[str, list] = {kind: [] for kind in kinds}
    for category in categories_active().filter(kind__in=kinds):
        grouped[category.kind].append((f"{category.kind}:{category.code}", category.name))
    choices: list = [("", _("Choose a topic"))]
    if len(kinds) == 1:
        return choices + grouped[kinds[0]]
    return choices + list(grouped.items())


def consent_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("I have read the personal data notice above and agree that my information is used to handle "
                "this case."),
        error_messages={"required": _("Please read and accept the personal data notice to submit.")},
    )


class ContactFields(PortalForm):
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=32, required=False, validators=[phone_validator],
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    contact_email = forms.EmailField(label=_("Email"), max_length=254, required=False,
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    contact_line_id = forms.CharField(label=_("LINE ID"), max_length=64, required=False)

    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "contact_line_id")

    def contact(self) -> dict:
        data = self.cleaned_data
        return {"name": data["contact_name"], "phone": data["contact_phone"], "email": data["contact_email"],
                "line_id": data["contact_line_id"]}

    def has_contact(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.CONTACT_FIELDS)


class CaseForm(ContactFields):
    """A complaint or a suggestion."""

    KINDS = [Kind.COMPLAINT, Kind.SUGGESTION]

    kind = forms.ChoiceField(label=_("What would you like to send?"), widget=forms.RadioSelect,
                             choices=[(Kind.COMPLAINT.value, _("A complaint (something went wrong)")),
                                      (Kind.SUGGESTION.value, _("A suggestion or an opinion"))])
    category = forms.ChoiceField(label=_("Topic"), widget=KindGroupedSelect)
    title = forms.CharField(label=_("Subject"), max_length=200,
                            help_text=_("A short line, e.g. the school and what happened."))
    description = TextField(label=_("Details"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}),
                            help_text=_("What happened, where and when; who was involved; what you would like "
                                        "the office to do."))
    files = MultipleFileField(label=_("Attachments (optional)"))
    school = forms.CharField(label=_("The school it is about (optional)"), max_length=220, required=False,
                             help_text=_("Type the school's name or code and choose it from the list."))
    follows = forms.CharField(label=_("Your earlier case (optional)"), max_length=64, required=False,
                              help_text=_("The tracking number of your closed case that this one continues, if "
                                          "the problem was not solved or came back."))
    consent = consent_field()

    field_order = ["kind", "category", "title", "description", "school", *ContactFields.CONTACT_FIELDS, "files",
                   "follows", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices([str(kind) for kind in self.KINDS])
        self.fields["school"].widget = SchoolInput()

    def clean_school(self) -> str:
        """The school's code, from "code name" as the list offers it, a code, or a name typed whole."""
        typed = self.cleaned_data["school"].strip()
        if not typed:
            return ""
        school = school_typed(typed)
        if school is None:
            raise forms.ValidationError(_("Choose a school from the list, or leave this empty."))
        return school.code

    def clean(self):
        data = super().clean()
        kind, category = data.get("kind"), data.get("category")
        if kind and category and not category.startswith(f"{kind}:"):
            self.add_error("category", _("This topic belongs to the other kind; choose a topic under %(kind)s.")
                           % {"kind": Kind(kind).label})
        return data

    def submission(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "category_code": data["category"].split(":", 1)[1], "title": data["title"],
                "description": data["description"], "anonymous": False, "contact": self.contact(),
                "uploads": data["files"], "consent": data["consent"], "follows": data["follows"] or None,
                "school_code": data["school"] or None}


class CorruptionForm(ContactFields):
    """The separate, sealed channel (ITA O28): anonymous unless the reporter chooses otherwise."""

    identity = forms.ChoiceField(
        label=_("Your identity"), widget=forms.RadioSelect, initial="anonymous",
        choices=[("anonymous", _("Report anonymously (nothing about you is kept)")),
                 ("sealed", _("Give my name and contact; only the integrity unit and the director may see them"))],
    )
    category = forms.ChoiceField(label=_("What kind of wrongdoing?"))
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = TextField(label=_("Details"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}),
                            help_text=_("Who, what, where, when, and any evidence you know of."))
    files = MultipleFileField(label=_("Evidence (optional)"))
    consent = consent_field()

    field_order = ["identity", "category", "title", "description", *ContactFields.CONTACT_FIELDS, "files", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices([Kind.CORRUPTION.value])

    def clean(self):
        data = super().clean()
        if data.get("identity") == "anonymous" and self.has_contact():
            # Never keep what an anonymous reporter typed by mistake; say so rather than drop it silently.
            self.add_error("identity", _("You chose to report anonymously but filled in contact details. Choose "
                                         "to give your contact, or clear those fields."))
        return data

    def submission(self) -> dict:
        data = self.cleaned_data
        anonymous = data["identity"] == "anonymous"
        return {"kind": Kind.CORRUPTION.value, "category_code": data["category"].split(":", 1)[1],
                "title": data["title"], "description": data["description"], "anonymous": anonymous,
                "contact": None if anonymous else self.contact(), "uploads": data["files"],
                "consent": data["consent"]}


class TrackForm(PortalForm):
    number = forms.CharField(label=_("Tracking number"), max_length=64,
                             help_text=_("As on your receipt, e.g. CM-7K3Q-9XWD-2MPA. Capitals, spaces and hyphens "
                                         "do not matter."),
                             widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                                           "spellcheck": "false"}))

    def clean_number(self) -> str:
        canonical = tracking_number_parse(self.cleaned_data["number"])
        if canonical is None:
            # The same neutral answer as an unknown number: the form does not help anyone guess.
            raise forms.ValidationError(not_found_message())
        return canonical


def not_found_message() -> str:
    return _("We could not find a case with this tracking number. Please check it against your receipt.")


class AccessKeyForm(PortalForm):
    access_key = forms.CharField(label=_("Access key"), max_length=128, strip=True,
                                 help_text=_("As on your receipt, e.g. 7K3Q-9XWD-2MPA-…. Capitals, spaces and hyphens "
                                             "do not matter."),
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                               "autocapitalize": "characters"}))


class MessageForm(PortalForm):
    message = TextField(label=_("Add information"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Anything the office asked for, or that you want to add."))


class ReopenForm(PortalForm):
    reason = TextField(label=_("What is still not solved?"), max_length=2_000,
                       widget=forms.Textarea(attrs={"rows": 4}),
                       help_text=_("The case goes back to the officer, who will answer again."))


class FeedbackForm(PortalForm):
    score = forms.TypedChoiceField(label=_("How satisfied are you with the answer?"), coerce=int,
                                   widget=forms.RadioSelect,
                                   choices=[(5, _("5 – Very satisfied")), (4, _("4 – Satisfied")), (3, _("3 – Neutral")),
                                            (2, _("2 – Dissatisfied")), (1, _("1 – Very dissatisfied"))])
    comment = TextField(label=_("Comment (optional)"), max_length=2_000, required=False,
                        widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(PortalForm):
    """An opinion on an open consultation: a stance, what the citizen thinks, an answer to each question the
    consultation asks (``q<id>``), optionally who they are and how to reach them (with the consent)."""

    stance = forms.ChoiceField(label=_("Your position"), choices=Stance.choices, widget=forms.RadioSelect)
    body = TextField(label=_("Your opinion"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 5}))
    group = forms.ChoiceField(label=_("You take part as (optional)"), required=False,
                              help_text=_("It lets the office report who took part; it does not identify you."))
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Email (optional)"), max_length=254, required=False,
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=32, required=False,
                                    validators=[phone_validator],
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    consent = forms.BooleanField(
        label=_("I have read the personal data notice and agree that the contact details I give are used to reach "
                "me about this consultation."), required=False)

    def __init__(self, *args, questions=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question_fields = []
        for question in questions:
            name = f"q{question.pk}"
            self.fields[name] = TextField(label=question.text, max_length=2_000, required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))
            self.question_fields.append(name)
        self.fields["group"].choices = [("", _("Prefer not to say"))] + [(g.code, g.name) for g in groups]
        # The consultation's questions right after the opinion itself, before who the citizen is.
        self.order_fields(["stance", "body", *self.question_fields])
        self.plain_words()

    def clean(self):
        data = super().clean()
        contact = any(data.get(name) for name in ("contact_name", "contact_email", "contact_phone"))
        if contact and not data.get("consent"):
            self.add_error("consent", _("Please read and accept the personal data notice to leave your contact "
                                        "details."))
        return data

    def opinion(self, language: str) -> OpinionInput:
        data = self.cleaned_data
        return OpinionInput(
            stance=data["stance"], body=data["body"], group=data["group"], consent=data["consent"], language=language,
            answers={int(name[1:]): data[name] for name in self.question_fields if data.get(name)},
            contact={"name": data["contact_name"], "email": data["contact_email"], "phone": data["contact_phone"]})


class FollowForm(PortalForm):
    email = forms.EmailField(label=_("Your email"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(
        label=_("I agree that my email address is kept to send me news of this item until I stop following it."),
        error_messages={"required": _("Please accept to follow this item.")})


SCALE_LABELS = {1: _("1 (very dissatisfied)"), 2: "2", 3: "3", 4: "4", 5: _("5 (very satisfied)")}


class SurveyForm(PortalForm):
    """A survey's questions as fields (``q<id>``), the respondent's group, and the form's one-time token."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    invitation = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    group = forms.ChoiceField(label=_("You answer as (optional)"), required=False)

    def __init__(self, *args, survey, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            self.fields[f"q{question.pk}"] = self._field(question)
        self.fields["group"].choices = [("", _("Prefer not to say"))] + [(g.code, g.name) for g in groups]
        self.order_fields([f"q{q.pk}" for q in self.questions] + ["group"])
        self.plain_words()

    @staticmethod
    def _field(question) -> forms.Field:
        common = {"label": question.text, "required": question.required}
        if question.kind == QuestionKind.SCALE:
            return forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, choices=list(SCALE_LABELS.items()),
                                          **common)
        choices = list(enumerate(question.choice_labels()))
        if question.kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, choices=choices, **common)
        if question.kind == QuestionKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(coerce=int, widget=forms.CheckboxSelectMultiple, choices=choices,
                                                  **common)
        return TextField(max_length=2_000, widget=forms.Textarea(attrs={"rows": 3}), **common)

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions
                if self.cleaned_data.get(f"q{q.pk}") not in (None, "", [])}
