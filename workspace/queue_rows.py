"""A queue page's rows, as HTML.

Fifty rows of labels, names, links and deadlines are the queue page's bulk. Placed by the template, each of
their fifteen-odd values costs a template variable's lookup, localisation and escaping: about 8 ms a page at one
million cases, a third of it; through ``format_html``, which escapes its arguments again at every level, still
5 ms. Here every value is escaped once, where it is placed (``esc``), and the words are translated once per page.
"""

from html import escape as esc

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import thai_dates
from core.choices import Channel, Kind, Priority, Status, choice_labels
from core.config_cache import calendars
from core.models import Case, WaitingReason
from workspace.deadlines import deadline_describe

# A colour is never the only signal: the words say it, and a symbol marks overdue and at-risk rows.
SYMBOLS = {"overdue": '<span aria-hidden="true">⚠ </span>', "at_risk": '<span aria-hidden="true">◔ </span>'}


def queue_rows_html(cases: list[Case], *, selectable: bool) -> SafeString:
    """The rows of ``cases``; ``selectable``: with a box to tick each for bulk reassignment."""
    now, business, language = timezone.now(), calendars().business, get_language() or "th"
    reasons = {}
    if any(case.waiting_reason_id for case in cases):
        reasons = {reason.pk: reason.name for reason in WaitingReason.objects.all()}
    # One reverse for the page: the case address differs only by its tracking number.
    marker = "TRACKING"
    case_href = reverse("workspace:case", args=[marker])
    select, escalated = _("Select %(number)s"), _("Escalated, level %(level)s")
    not_routed, unassigned, priority_word = esc(_("Not routed yet")), esc(_("Unassigned")), esc(_("Priority"))
    waiting_word, no_deadline = esc(_("Waiting for:")), esc(_("No running deadline"))
    kinds, statuses, channels, priorities = (choice_labels(choices) for choices in (Kind, Status, Channel, Priority))
    rows = []
    for index, case in enumerate(cases, start=1):
        number = esc(case.tracking_number)
        deadline = deadline_describe(case.sla_due_at, case.sla_warn_at, now, business)
        state = esc(deadline.state)
        pick = (f'<td><input type="checkbox" name="cases" value="{number}" id="pick-{index}" '
                f'aria-label="{esc(select % {"number": case.tracking_number})}"></td>') if selectable else ""
        meta = " · ".join(part for part in (kinds.get(case.kind, case.kind),
                                            case.category.name if case.category_id else "",
                                            channels.get(case.channel, case.channel)) if part)
        priority = (f' · <strong class="priority-{esc(case.priority)}">{priority_word}: '
                    f'{esc(priorities.get(case.priority, case.priority))}</strong>'
                    if case.priority != Priority.NORMAL else "")
        waiting = (f'<span class="meta">{waiting_word} {esc(reasons[case.waiting_reason_id])}</span>'
                   if case.waiting_reason_id in reasons else "")
        badge = (f' <span class="badge escalated">{esc(escalated % {"level": case.escalation_level})}</span>'
                 if case.escalation_level else "")
        assignee = case.assignee
        officer = (assignee.get_full_name() or assignee.username) if assignee else None
        due = (f'<span class="deadline {state}">{SYMBOLS.get(deadline.state, "")}{esc(deadline.words)}</span>'
               f'<span class="meta">{esc(thai_dates.format_datetime(case.sla_due_at, language))}</span>'
               if deadline.words else f'<span class="meta">{no_deadline}</span>')
        rows.append(
            f'<tr class="deadline-{state}">{pick}'
            f'<td><a class="tracking" href="{esc(case_href.replace(marker, case.tracking_number))}">{number}</a>'
            f' <span class="title">{esc(case.title)}</span> <span class="meta">{esc(meta)}{priority}</span></td>'
            f'<td>{esc(statuses.get(case.status, case.status))}{waiting}{badge}</td>'
            f'<td>{esc(case.unit.name) if case.unit_id else not_routed}'
            f'<span class="meta">{esc(officer) if officer else unassigned}</span></td>'
            f'<td>{due}</td></tr>\n')
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped where it is placed
