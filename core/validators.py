from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Thai numbers as people type them: digits with optional +, spaces, hyphens, brackets, an extension.
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,30}(\s*(ext\.?|ต่อ)\s*[0-9]{1,6})?$",
    message=_("Enter a phone number of digits, spaces or hyphens, e.g. 056-123456 or 081 234 5678."),
)


def storable_moment(moment) -> None:
    """A date and time the database stores and every reader converts back: years 1900 to 9000 (a year 1 typed by
    mistake, moved to UTC, falls before year 1 and could not be read again)."""
    if moment is not None and not 1900 <= moment.year <= 9000:
        raise ValidationError(_("Use a date between the years 1900 and 9000."), code="range")


def storable_text(text: str) -> bool:
    """False for text PostgreSQL refuses: a NUL character, or a lone surrogate (which JSON allows, UTF-8 does not)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
