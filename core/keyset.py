"""Keyset pagination for case queues (the staff API's and the workspace's).

The cursor carries the last row's sort key and id, and the next page is "rows after that key":
no OFFSET scans, no row shown twice or skipped when cases arrive or change while someone pages.
"""

import base64
import json
from datetime import UTC, datetime, timedelta

from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.utils.dateparse import parse_datetime

from core.errors import NotFound
from core.models.case import case_due_key

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


# A text search first reads this many rows of the queue in order (see CaseKeysetPage._search).
SEARCH_PROBE_ROWS = 1000


class CaseKeysetPage:
    def __init__(self, cases: QuerySet, *, ordering: str, page_size: int, cursor: str | None, request,
                 search: Q | None = None):
        self.ordering, self.page_size, self.request = ordering, page_size, request
        cases = self._ordered(cases)
        if cursor:
            cases = cases.filter(self._after(_decode(cursor)))
        rows = list(cases[: page_size + 1]) if search is None else self._search(cases, search, page_size + 1)
        self.results, self.has_next = rows[:page_size], len(rows) > page_size

    def _search(self, cases: QuerySet, search: Q, count: int) -> list:
        """The first ``count`` cases of the ordered queue ``cases`` that match the text ``search``.

        Either order alone has a bad case at a million rows: walking the queue in order until enough
        rows match reads the whole table when few visible cases match ("a word found only in another
        unit's cases"), and collecting every text match before sorting reads every match of a common
        word. So: walk the first SEARCH_PROBE_ROWS rows of the queue in order (an index range) and
        keep those that match; enough (a common word) or the queue ended: done. Otherwise the word is
        rare among these cases, and the rest comes from the text index (its matches after the walked
        rows), sorted: work bounded by the number of cases containing the word.
        """
        key = "due_key" if self.ordering == "due" else "pk"
        # One pass over the walked rows: their keys and whether each matches.
        hit = ExpressionWrapper(search, output_field=BooleanField())
        walked = list(cases.annotate(search_hit=hit).values_list("pk", key, "search_hit")[:SEARCH_PROBE_ROWS])
        hits = [pk for pk, _, matched in walked if matched][:count]
        rows = list(cases.filter(pk__in=hits)) if hits else []
        if len(rows) >= count or len(walked) < SEARCH_PROBE_ROWS:
            return rows
        last_pk, last_key, _ = walked[-1]
        after = self._after([last_key.isoformat(), last_pk] if self.ordering == "due" else [last_pk])
        return rows + list(self._text_first(cases.filter(search, after))[: count - len(rows)])

    def _text_first(self, cases: QuerySet) -> QuerySet:
        """The same order on expressions no index provides, so that the text index selects the rows."""
        if self.ordering == "due":
            shifted = ExpressionWrapper(F("due_key") + Value(timedelta(0)), output_field=DateTimeField())
            return cases.annotate(due_unindexed=shifted).order_by("due_unindexed", "id")
        unindexed = F("id") + 0
        return cases.order_by(unindexed.desc() if self.ordering == "newest" else unindexed.asc())

    def _ordered(self, cases: QuerySet) -> QuerySet:
        if self.ordering == "due":
            # (due_key, id) is indexed (core.models.case): the first page reads about page_size index rows.
            if "due_key" not in cases.query.annotations:
                cases = cases.annotate(due_key=case_due_key())
            return cases.order_by("due_key", "id")
        return cases.order_by("-id" if self.ordering == "newest" else "id")

    def _after(self, values: list) -> Q:
        try:
            if self.ordering == "due":
                due, last_id = _bounded_datetime(values[0]), _bounded_id(values[1])
                # "(due_key, id) after (due, last_id)", with due_key >= due stated alone so that it is an index range.
                return Q(due_key__gte=due) & (Q(due_key__gt=due) | Q(id__gt=last_id))
            last_id = _bounded_id(values[0])
        except (ValueError, TypeError, IndexError, OverflowError):
            raise NotFound(INVALID_CURSOR) from None
        return Q(id__lt=last_id) if self.ordering == "newest" else Q(id__gt=last_id)

    def _cursor_of(self, case) -> str:
        if self.ordering == "due":
            return _encode([case.due_key.isoformat(), case.pk])
        return _encode([case.pk])

    def next_query(self) -> str | None:
        """The request's query string with the next page's cursor (None on the last page)."""
        if not self.has_next:
            return None
        params = self.request.GET.copy()
        params["cursor"] = self._cursor_of(self.results[-1])
        return params.urlencode()

    def next_link(self) -> str | None:
        query = self.next_query()
        return None if query is None else self.request.build_absolute_uri(f"{self.request.path}?{query}")
