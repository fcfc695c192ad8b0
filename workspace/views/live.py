"""The bell (the user's workspace notifications) and what the pages poll to stay current by themselves."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import NotFound
from core.notifications.inbox import inbox_latest, inbox_mark_read, inbox_unread_count
from core.queues import queue_counts_recent
from core.selectors import case_get_visible
from workspace.access import staff_page
from workspace.views.errors import not_found


@staff_page
@require_http_methods(["GET", "HEAD"])
def notifications(request):
    return render(request, "workspace/notifications.html", {"items": inbox_latest(request.user), "nav": "bell"})


@staff_page
@require_http_methods(["GET", "HEAD"])
def notification_open(request, notification_id: int):
    """Opening a notification marks it read and goes to its case."""
    tracking = inbox_mark_read(request.user, notification_id=notification_id)
    if tracking is None:
        return not_found(request)
    return redirect("workspace:case", tracking=tracking)


@staff_page
@require_POST
def notifications_read(request):
    inbox_mark_read(request.user)
    return redirect("workspace:notifications")


@staff_page
@require_http_methods(["GET", "HEAD"])
def live(request):
    """The bell's count and the queues' counts, polled by every workspace page."""
    return JsonResponse({"unread": inbox_unread_count(request.user), "counts": queue_counts_recent(user=request.user)})


@staff_page
@require_http_methods(["GET", "HEAD"])
def case_live(request, tracking: str):
    """How far the case's audit chain has grown: an open case page tells its reader when it moved on."""
    try:
        case = case_get_visible(tracking=tracking, user=request.user)
    except NotFound:
        return JsonResponse({"error": "not_found"}, status=404)
    return JsonResponse({"events": case.event_head_seq, "status": case.status})
