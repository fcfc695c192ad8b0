"""Text written into files people open in a spreadsheet (the reports' CSV, the audit export's CSV)."""

# A cell that starts with one of these is run as a formula by Excel and LibreOffice, even from a CSV file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The value as a spreadsheet should show it: text that would run as a formula is kept as text with a leading
    apostrophe (the usual defence against formula injection); numbers and other text are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
