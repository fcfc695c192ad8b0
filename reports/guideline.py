"""The handling guideline (ITA's "how to complain" item), read from the live configuration: the published channels,
the steps each kind of case goes through with the times the SLA policies give them, who is accountable when a step is
late, and the unit responsible for each category, as routing would choose it. Nothing here is typed text about the
office: change a policy, a rule or a channel and the guideline says so."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.choices import PUBLIC_KINDS, Channel, EscalationLevel, Kind, Status, choice_label
from core.config_cache import config_snapshot
from core.models import Case, Office, SlaPolicy
from portal.models import PublishedChannel
from portal.selectors import duration_text, office_published
from workflows.routing import routing_unit_for

# The main road of each kind a citizen can send: (status reached, which clock's target applies to reaching it).
ROADS = {
    Kind.COMPLAINT: [(Status.SUBMITTED, None), (Status.ASSIGNED, None), (Status.IN_PROGRESS, "acknowledge"),
                     (Status.RESPONDED, "resolve"), (Status.CLOSED, "window")],
    Kind.SUGGESTION: [(Status.SUBMITTED, None), (Status.ASSIGNED, None), (Status.UNDER_CONSIDERATION, "acknowledge"),
                      (Status.ADOPTED, "resolve"), (Status.CLOSED, "window")],
    Kind.CORRUPTION: [(Status.SUBMITTED, None), (Status.ASSIGNED, None), (Status.FACT_FINDING, "acknowledge"),
                      (Status.CONCLUDED, "resolve"), (Status.CLOSED, None)],
}


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    explanation: str
    time: str  # "" when the step has no target of its own


@dataclass(frozen=True)
class Rule:
    """A policy narrower than the kind's general one (a category, a priority)."""
    applies_to: str
    acknowledge: str
    answer: str


@dataclass
class KindGuide:
    kind: str
    label: str
    steps: list[Step]
    escalation: list[str]
    special_rules: list[Rule] = field(default_factory=list)
    responsible: list[tuple[str, str]] = field(default_factory=list)  # (category, unit), in the form's order


@dataclass
class Guideline:
    office: Office | None
    channels: list[PublishedChannel]
    kinds: list[KindGuide]
    integrity_unit: str


def guideline_read() -> Guideline:
    config = config_snapshot()
    office = office_published()
    policies = [policy for policy in config.policies if policy.kind in PUBLIC_KINDS]
    kinds = []
    for kind in PUBLIC_KINDS:
        general = next((p for p in policies if p.kind == kind and p.category_id is None and not p.priority), None)
        categories = [category for (kind_code, _code), category in config.categories.items() if kind_code == kind]
        categories.sort(key=lambda category: (category.position, category.code))
        guide = KindGuide(kind=kind, label=choice_label(Kind, kind), steps=_steps(kind, general),
                          escalation=_escalation(general))
        guide.special_rules = [_rule(policy) for policy in policies
                               if policy.kind == kind and policy is not general]
        for category in categories:
            unit = routing_unit_for(Case(kind=kind, category=category, channel=Channel.WEB, title="", description=""),
                                    config)
            guide.responsible.append((category.name, unit.name if unit else _("Assigned by the office")))
        kinds.append(guide)
    channels = list(PublishedChannel.objects.filter(office=office, active=True)) if office else []
    return Guideline(office=office, channels=channels, kinds=kinds,
                     integrity_unit=config.integrity_unit.name if config.integrity_unit else "")


def _steps(kind: str, policy: SlaPolicy | None) -> list[Step]:
    steps = []
    for status, clock in ROADS[kind]:
        time = ""
        if policy is not None and clock == "acknowledge":
            time = _("within %(time)s of receipt") % {
                "time": duration_text(policy.acknowledge_value, policy.acknowledge_unit)}
        elif policy is not None and clock == "resolve":
            time = _("within %(time)s of receipt") % {"time": duration_text(policy.resolve_value, policy.resolve_unit)}
        elif policy is not None and clock == "window":
            time = _("%(days)s business days after the answer, unless you reopen the case (up to %(times)s times)") % {
                "days": policy.answer_window_days, "times": policy.reopen_limit}
        steps.append(Step(status=status, label=choice_label(Status, status), explanation=_explanation(kind, status),
                          time=time))
    return steps


def _explanation(kind: str, status: str) -> str:
    explanations = {
        Status.SUBMITTED: _("You get a tracking number and an access key at once, to follow the case."),
        Status.ASSIGNED: _("The case goes to the responsible unit (see below) and an officer there."),
        Status.IN_PROGRESS: _("The officer checks the case is within the office's duties and starts work. If it is "
                              "not, you are told why, or the case is referred to the agency responsible."),
        Status.UNDER_CONSIDERATION: _("The unit considers your suggestion."),
        Status.FACT_FINDING: _("The integrity unit looks for the facts. Only it and the director see the report."),
        Status.RESPONDED: _("You receive the result. If the officer needs more information from you, the time waiting "
                            "for you does not count."),
        Status.ADOPTED: _("You are told whether the suggestion is adopted, kept for later or cannot be done, and why."),
        Status.CONCLUDED: _("You are told the outcome when the case is concluded."),
        Status.CLOSED: _("You may rate the answer. If it did not solve the problem, reopen the case with your "
                         "tracking number.") if kind != Kind.CORRUPTION else _("The case is closed."),
    }
    return explanations[status]


def _escalation(policy: SlaPolicy | None) -> list[str]:
    """Who is accountable as the time runs out: the policy's ladder, in words."""
    if policy is None:
        return []
    lines = []
    for step in sorted(policy.ladder, key=lambda step: step["percent"]):
        if step["level"] == EscalationLevel.OFFICER:
            lines.append(_("At %(percent)s%% of the time, the officer is reminded.") % {"percent": step["percent"]})
        else:
            lines.append(_("At %(percent)s%% of the time, the case goes to the %(level)s.") % {
                "percent": step["percent"], "level": choice_label(EscalationLevel, step["level"]).lower()})
    return lines


def _rule(policy: SlaPolicy) -> Rule:
    scope = [policy.category.name] if policy.category_id else []
    if policy.priority:
        scope.append(_("%(priority)s priority") % {"priority": policy.get_priority_display()})
    return Rule(applies_to=", ".join(scope) or policy.name,
                acknowledge=duration_text(policy.acknowledge_value, policy.acknowledge_unit),
                answer=duration_text(policy.resolve_value, policy.resolve_unit))
