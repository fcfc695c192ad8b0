from django.utils.translation import get_language


class TranslatedNameMixin:
    """Models with ``name_th`` and ``name_en``: ``name`` follows the active language, Thai by default."""

    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    def __str__(self) -> str:
        return self.name
