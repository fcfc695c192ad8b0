"""Django admin for the configuration an office maintains, and read-only views of what happened.

Office closures are registered in workflows/admin.py: saving one must recompute deadlines.
"""

from django.contrib import admin

from core.models import (
    Category,
    ConfigChange,
    Membership,
    Notification,
    Office,
    ReplyTemplate,
    RoutingRule,
    SlaPolicy,
    Unit,
)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "strategy", "is_integrity", "receives_unrouted", "active"]
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "name_th", "position", "active"]
    list_filter = ["kind", "active"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "kind", "category", "channel", "keywords", "unit", "active"]
    list_editable = ["active"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category", "priority", "calendar", "acknowledge_value", "acknowledge_unit",
                    "resolve_value", "resolve_unit", "active"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "template", "channel", "to_citizen", "user", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "channel", "template"]
    readonly_fields = [field.name for field in Notification._meta.fields]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "active"]


@admin.register(ConfigChange)
class ConfigChangeAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only (a database trigger refuses updates and deletes)."""

    list_display = ["at", "actor", "model", "object_id", "action"]
    list_filter = ["model", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
