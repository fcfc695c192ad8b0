from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Thai numbers as people type them: digits with optional +, spaces, hyphens, brackets, an extension.
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,30}(\s*(ext\.?|ต่อ)\s*[0-9]{1,6})?$",
    message=_("Enter a phone number of digits, spaces or hyphens, e.g. 056-123456 or 081 234 5678."),
)
