"""Staff search (q=): substring matching over one text column per case.

Thai is written without spaces between words, so word-based full-text search needs a segmenter
whose mistakes silently lose matches ("โรงเรียน" inside "ปัญหาของโรงเรียนบ้านหนองปลิง"). A plain
case-insensitive substring match has no such failure mode; on PostgreSQL a pg_trgm GIN index on
the column (migration 0004) keeps it fast for patterns of three characters or more.
"""

from django.db.models import Q

from core.models import Case
from core.tracking import tracking_number_parse


def search_document_initial(case: Case) -> str:
    return "\n".join([case.tracking_number, case.title, case.description])


def search_q(query: str) -> Q:
    """Cases whose text contains ``query``; a tracking number (typed loosely) finds its case exactly."""
    canonical = tracking_number_parse(query)
    if canonical:
        return Q(tracking_number=canonical)
    return Q(search_document__icontains=query.strip())


def search_is_exact(text: Q) -> bool:
    """Whether ``search_q`` gave an exact tracking-number lookup rather than a substring search."""
    return text.children == [("tracking_number", text.children[0][1])] if text.children else False
