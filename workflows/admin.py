"""Django admin for office closures: through the service, so that deadlines are recomputed."""

from django.contrib import admin

from core.models import OfficeClosure
from workflows.closures import closure_add, closure_remove


@admin.register(OfficeClosure)
class OfficeClosureAdmin(admin.ModelAdmin):
    """Closures added here recompute deadlines too (save_model goes through the service)."""

    list_display = ["day", "reason"]
    fields = ["day", "reason"]

    def save_model(self, request, obj, form, change):
        if change:
            closure_remove(day=form.initial["day"], actor=request.user)
        closure_add(day=obj.day, reason=obj.reason, actor=request.user)
        obj.pk = OfficeClosure.objects.get(day=obj.day).pk

    def delete_model(self, request, obj):
        closure_remove(day=obj.day, actor=request.user)

    def delete_queryset(self, request, queryset):  # the "delete selected" action
        for day in queryset.values_list("day", flat=True):
            closure_remove(day=day, actor=request.user)
