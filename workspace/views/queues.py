"""The queues: tabs with live counts, every filter of the staff API, keyset paging, the nearest deadline in
words, and bulk reassignment (all or nothing)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import staff_profile
from core.errors import ApplicationError, NotFound, ValidationFailed
from core.keyset import DEFAULT_PAGE_SIZE, CaseKeysetPage
from core.queues import QUEUES, queue_and_search, queue_counts_recent
from workflows.staff_work import cases_reassign
from workspace.access import staff_page
from workspace.forms import QUEUE_LABELS, BulkReassignForm, QueueFilterForm
from workspace.queue_rows import queue_rows_html

# What a queue row shows (and the keys it needs): not the long texts of a big table.
ROW_COLUMNS = ("tracking_number", "kind", "status", "title", "priority", "channel", "escalation_level",
               "submitted_at", "sla_due_at", "sla_warn_at", "waiting_reason_id", "category__code",
               "category__name_th", "category__name_en", "unit__code", "unit__name_th", "unit__name_en",
               "assignee__username", "assignee__first_name", "assignee__last_name")


def default_queue(user) -> str:
    """Officers start on their own cases; staff without a unit (clerks, the director, auditors) on all."""
    return "mine" if staff_profile(user).unit_ids else "all"


@staff_page
@require_http_methods(["GET", "HEAD"])
def queue(request):
    form = QueueFilterForm(request.GET)
    context = {"form": form, "labels": QUEUE_LABELS, "counts": queue_counts_recent(user=request.user), "rows": [],
               "nav": "queue", "filters_key": form.shown_values_key()}
    if not form.is_valid():
        return render(request, "workspace/queue.html", context, status=400)
    filters = form.filters()
    current = filters.pop("queue", None) or default_queue(request.user)
    cases, search = queue_and_search(user=request.user, queue=current, filters=filters)
    try:
        page = CaseKeysetPage(cases.only(*ROW_COLUMNS), ordering=filters.get("ordering", "due"),
                              page_size=DEFAULT_PAGE_SIZE, cursor=filters.get("cursor"), request=request,
                              search=search)
    except NotFound:
        form.add_error("cursor", _("This page of results is no longer valid: start again from the first page."))
        return render(request, "workspace/queue.html", context, status=400)
    return render(request, "workspace/queue.html", {**context, **_rows(page, request.user), "current": current,
                                                    "tabs": _tabs(request, current)})


def _rows(page: CaseKeysetPage, user) -> dict:
    profile = staff_profile(user)
    may_reassign = (profile.is_director or bool(profile.head_unit_ids)) and bool(page.results)
    return {"rows": page.results, "rows_html": queue_rows_html(page.results, selectable=may_reassign),
            "next_query": page.next_query(), "may_reassign": may_reassign}


def _tabs(request, current: str) -> list[dict]:
    """One tab per queue, keeping the filters (not the cursor: a new queue starts at its first page)."""
    params = request.GET.copy()
    params.pop("cursor", None)
    tabs = []
    for name in QUEUES:
        params["queue"] = name
        tabs.append({"name": name, "label": QUEUE_LABELS[name], "query": params.urlencode(),
                     "current": name == current})
    return tabs


@staff_page
@require_POST
def bulk_reassign(request):
    """Give the selected cases to one officer: all of them, or none and the reason."""
    trackings = request.POST.getlist("cases")
    form = BulkReassignForm(request.POST, trackings=trackings)
    back = request.POST.get("back", "")
    target = f"/staff/?{back}" if back and "\n" not in back and "\r" not in back else "/staff/"
    if not form.is_valid():
        for field, problems in form.errors.items():
            for problem in problems:
                messages.error(request, problem if field == "__all__" else f"{form.fields[field].label}: {problem}")
        return redirect(target)
    try:
        moved = cases_reassign(trackings=form.cleaned_data["cases"], actor=request.user,
                               assignee_username=form.cleaned_data["assignee"])
    except ValidationFailed as error:
        messages.error(request, _("Nothing was reassigned: %(reason)s") % {"reason": error.message})
    except ApplicationError as error:
        messages.error(request, _("Nothing was reassigned: %(reason)s") % {"reason": error.message})
    else:
        messages.success(request, _("%(count)d cases were reassigned to %(user)s.") % {
            "count": len(moved), "user": form.cleaned_data["assignee"]})
    return redirect(target)
