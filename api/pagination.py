from rest_framework.pagination import CursorPagination


class CaseCursorPagination(CursorPagination):
    """Keyset pagination on the primary key: stable while new cases arrive, no OFFSET scans."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
