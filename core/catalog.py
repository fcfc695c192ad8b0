"""Reads of the category catalogue."""

from django.db.models import QuerySet

from core.models import Category


def categories_active(*, kind: str | None = None) -> QuerySet[Category]:
    categories = Category.objects.filter(active=True)
    return categories.filter(kind=kind) if kind else categories
