"""What every workspace page shows in its header."""

from core.notifications.inbox import inbox_unread_count


def bell(request) -> dict:
    if not request.path_info.startswith("/staff/") or not request.user.is_authenticated:
        return {}
    return {"unread": inbox_unread_count(request.user)}
