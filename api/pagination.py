from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class CaseCursorPagination(CursorPagination):
    """Keyset pagination on the primary key: stable while new cases arrive, no OFFSET scans."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                int(cursor.position)
            except (TypeError, ValueError):
                raise NotFound(self.invalid_cursor_message) from None
        return cursor
