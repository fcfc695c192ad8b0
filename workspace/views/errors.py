"""How the workspace answers a refused action: the reason, in the reader's language, on the page it came from."""

from django.contrib import messages
from django.shortcuts import render

from core.errors import ApplicationError, NotFound, ValidationFailed


def not_found(request):
    return render(request, "workspace/not_found.html", status=404)


def errors_onto_form(form, error: ValidationFailed) -> None:
    """A service's field errors next to the form's fields of the same name; the rest above the form."""
    placed = False
    for field, problems in error.fields.items():
        if field in form.fields:
            for problem in problems:
                form.add_error(field, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def refusal(request, error: ApplicationError) -> None:
    """A refusal that belongs to no field (not allowed now, not yours to do): said at the top of the page."""
    if isinstance(error, NotFound):
        raise error
    messages.error(request, error.message)
