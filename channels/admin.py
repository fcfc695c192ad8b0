from django.contrib import admin

from channels.models import InboundMail


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    """What the mailbox reader took and what each message became (read only: it is the channel's record)."""

    list_display = ["received_at", "sender", "subject", "outcome", "case"]
    list_filter = ["outcome"]
    search_fields = ["sender", "subject", "message_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
