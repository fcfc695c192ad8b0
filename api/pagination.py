"""Keyset pagination for case queues.

The cursor carries the last row's sort key and id, and the next page is "rows after that key":
no OFFSET scans, no row shown twice or skipped when cases arrive or change while someone pages.
"""

import base64
import json
from datetime import UTC, datetime

from django.db.models import DateTimeField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound

# A deadline-less case sorts after every real deadline.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)
ORDERINGS = ("due", "newest", "oldest")
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
INVALID_CURSOR = "Invalid cursor: start again from the first page."


def _encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def _decode(cursor: str) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError):
        raise NotFound(INVALID_CURSOR) from None
    if not isinstance(values, list):
        raise NotFound(INVALID_CURSOR)
    return values


def _bounded_id(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise ValueError("not an id")
    return value


def _bounded_datetime(value) -> datetime:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise ValueError("not an aware datetime")
    moment = moment.astimezone(UTC)
    if not 1900 <= moment.year <= 9999:
        raise ValueError("out of range")
    return moment


class CaseKeysetPage:
    def __init__(self, cases: QuerySet, *, ordering: str, page_size: int, cursor: str | None, request):
        self.ordering, self.page_size, self.request = ordering, page_size, request
        cases = self._ordered(cases)
        if cursor:
            cases = cases.filter(self._after(_decode(cursor)))
        rows = list(cases[: page_size + 1])
        self.results, self.has_next = rows[:page_size], len(rows) > page_size

    def _ordered(self, cases: QuerySet) -> QuerySet:
        if self.ordering == "due":
            due = Coalesce(F("sla_due_at"), Value(NO_DEADLINE), output_field=DateTimeField())
            return cases.annotate(due_key=due).order_by("due_key", "id")
        return cases.order_by("-id" if self.ordering == "newest" else "id")

    def _after(self, values: list) -> Q:
        try:
            if self.ordering == "due":
                due, last_id = _bounded_datetime(values[0]), _bounded_id(values[1])
                return Q(due_key__gt=due) | Q(due_key=due, id__gt=last_id)
            last_id = _bounded_id(values[0])
        except (ValueError, TypeError, IndexError, OverflowError):
            raise NotFound(INVALID_CURSOR) from None
        return Q(id__lt=last_id) if self.ordering == "newest" else Q(id__gt=last_id)

    def _cursor_of(self, case) -> str:
        if self.ordering == "due":
            return _encode([case.due_key.isoformat(), case.pk])
        return _encode([case.pk])

    def next_link(self) -> str | None:
        if not self.has_next:
            return None
        params = self.request.query_params.copy()
        params["cursor"] = self._cursor_of(self.results[-1])
        return self.request.build_absolute_uri(f"{self.request.path}?{params.urlencode()}")
