"""A case's audit events as the staff case page tells them: who, what, the words written, in the reader's
language.

Prepared here, not looked up in the template: each event's data holds different keys, and a template looking
for a key an event lacks pays for three failed lookups each time (most of the timeline's cost).
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import thai_dates
from core.choices import Status, choice_labels
from core.selectors import TimelineEntry
from workspace.labels import event_label


@dataclass(frozen=True, slots=True)
class TimelineRow:
    visibility: str  # "public" (the citizen reads it) or "internal"
    from_citizen: bool
    at: object  # the moment, for <time datetime>
    at_text: str
    label: str
    who: str
    change: str  # "status → status", or ""
    messages: tuple[str, ...]  # what was written (multi-line)
    comments: tuple[str, ...]  # reasons and internal notes


def timeline_rows(entries: list[TimelineEntry]) -> list[TimelineRow]:
    language = get_language() or "th"
    statuses = choice_labels(Status)
    citizen, system, note = _("the citizen"), _("the system"), _("Internal note:")
    rows = []
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        change = ""
        if entry.from_status and entry.to_status:
            change = (f"{statuses.get(entry.from_status, entry.from_status)} → "
                      f"{statuses.get(entry.to_status, entry.to_status)}")
        comments = [text for text in (data.get("reason"),) if text]
        if data.get("comment"):
            comments.append(f"{note} {data['comment']}")
        rows.append(TimelineRow(
            visibility=entry.visibility, from_citizen=entry.actor_kind == "citizen", at=entry.at,
            at_text=thai_dates.format_datetime(entry.at, language), label=event_label(entry.type),
            who=entry.actor_name or (citizen if entry.actor_kind == "citizen" else system), change=change,
            messages=tuple(_messages(entry.type, data)), comments=tuple(comments),
        ))
    return rows


def _messages(event_type: str, data: dict) -> list[str]:
    # An event's data is whatever its writer kept: anything of another shape is left out, never an error.
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    messages = [text for text in (data.get("message"), data.get("text"), params.get("reason"), params.get("summary"))
                if text and isinstance(text, str)]
    if event_type == "correct":
        parts = []
        for key, label in (("category", _("Category")), ("priority", _("Priority")), ("unit", _("Unit"))):
            if isinstance(change := data.get(key), dict):
                parts.append(f"{label}: {change.get('from') or '—'} → {change.get('to')}.")
        messages.append(" ".join(parts))
    elif event_type == "redact" and isinstance(data.get("fields"), list):
        messages.append(", ".join(str(field) for field in data["fields"]))
    return messages
