from django.utils.translation import get_language


def translated(obj, field: str) -> str:
    """``<field>_en`` for an English reader when it is filled in, else ``<field>_th``."""
    english = (get_language() or "th").startswith("en")
    value = getattr(obj, f"{field}_en") if english else ""
    return value or getattr(obj, f"{field}_th")


class TranslatedNameMixin:
    """Models with ``name_th`` and ``name_en``: ``name`` follows the active language, Thai by default."""

    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        return translated(self, "name")

    def __str__(self) -> str:
        return self.name
