"""Staff recording a case that came by phone, letter, walk-in, 1111, Damrongdham...: the same intake service as
the API, then a printable receipt with the tracking number, the access key and a QR code, shown once."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.choices import Kind
from core.errors import ApplicationError, ValidationFailed
from core.selectors import case_get_visible
from portal.receipts import receipt_hold, receipt_take
from workflows.staff_intake import staff_case_submit
from workspace.access import staff_page
from workspace.forms import StaffIntakeForm
from workspace.views.errors import errors_onto_form


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def intake(request):
    form = StaffIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = staff_case_submit(actor=request.user, **form.service_fields())
        except ValidationFailed as error:
            errors_onto_form(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            token = receipt_hold(tracking=receipt.case.tracking_number, access_key=receipt.access_key or "")
            if token is None:
                return _receipt(request, receipt.case.tracking_number, receipt.access_key)
            return redirect(f"{reverse('workspace:receipt')}?r={token}")
    return render(request, "workspace/intake.html", {"form": form, "nav": "intake"},
                  status=400 if form.errors else 200)


@staff_page
@require_http_methods(["GET", "HEAD"])
def receipt(request):
    held = receipt_take(request.GET.get("r"))
    if held is None:
        messages.info(request, _("A receipt is shown only once. Open the case to see its details."))
        return redirect("workspace:queue")
    return _receipt(request, held["tracking"], held["key"] or None)


def _receipt(request, tracking: str, access_key: str | None):
    case = case_get_visible(tracking=tracking, user=request.user)
    path = reverse("portal:case", args=[case.tracking_number])
    status_url = settings.PUBLIC_BASE_URL + path if settings.PUBLIC_BASE_URL else request.build_absolute_uri(path)
    return render(request, "workspace/receipt.html", {
        "case": case, "access_key": access_key, "status_url": status_url, "kind_label": Kind(case.kind).label,
        "tracking_groups": case.tracking_number.split("-"),
        "key_groups": access_key.split("-") if access_key else [],
    })
