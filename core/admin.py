"""Django admin for the configuration an office maintains, and read-only views of what happened.

Office closures are registered in workflows/admin.py: saving one must recompute deadlines.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.config_changes import config_delete, config_log, config_save, snapshot
from core.models import (
    Agency,
    Category,
    Committee,
    CommitteeMember,
    ConfigChange,
    EvidenceItem,
    Membership,
    Notification,
    Office,
    Open311Client,
    ReplyTemplate,
    RoutingRule,
    School,
    SlaPolicy,
    StakeholderGroup,
    Unit,
    WaitingReason,
)
from core.schools import schools_import
from core.throttle import LOGIN, throttle_wait
from core.user_admin import account_is_guarded


class ConfigLoggedAdmin(admin.ModelAdmin):
    """Saves and deletes made here go through the same services as the admin API, into the config log."""

    def save_model(self, request, obj, form, change):
        config_save(instance=obj, actor=request.user, fields={})

    def delete_model(self, request, obj):
        config_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            config_delete(instance=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            config_delete(instance=obj, actor=request.user)
        for obj in instances:
            config_save(instance=obj, actor=request.user, fields={})


@admin.register(Office)
class OfficeAdmin(ConfigLoggedAdmin):
    list_display = ["code", "name_th"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Unit)
class UnitAdmin(ConfigLoggedAdmin):
    list_display = ["code", "name_th", "strategy", "is_integrity", "receives_unrouted", "active"]
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(ConfigLoggedAdmin):
    list_display = ["kind", "code", "name_th", "position", "active"]
    list_filter = ["kind", "active"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ConfigLoggedAdmin):
    list_display = ["position", "name", "kind", "category", "channel", "school", "district", "keywords", "unit",
                    "active"]
    list_editable = ["active"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ConfigLoggedAdmin):
    list_display = ["name", "kind", "category", "priority", "calendar", "acknowledge_value", "acknowledge_unit",
                    "resolve_value", "resolve_unit", "active"]


@admin.register(Agency)
class AgencyAdmin(ConfigLoggedAdmin):
    list_display = ["code", "name_th", "email", "phone", "reply_days", "handles_corruption", "active"]
    list_filter = ["handles_corruption", "active"]


@admin.register(WaitingReason)
class WaitingReasonAdmin(ConfigLoggedAdmin):
    list_display = ["position", "code", "name_th", "stops_clock", "max_business_days", "active"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "template", "channel", "to_citizen", "user", "agency", "status", "attempts",
                    "next_attempt_at"]
    list_filter = ["status", "channel", "template"]
    readonly_fields = [field.name for field in Notification._meta.fields]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(ConfigLoggedAdmin):
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


class LoggedUserAdmin(UserAdmin):
    """Django's user admin, with every save, role change, password change and delete in the config log.

    Groups are saved after the user (save_related), so the entry is written there, with the roles.
    """

    def save_model(self, request, obj, form, change):
        obj._config_before = snapshot(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
        config_save(instance=obj, actor=request.user, fields={}, clean=False, log=False)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        config_log(actor=request.user, instance=user, action="update" if user._config_before else "create",
                   before=user._config_before, after=snapshot(user))

    def has_change_permission(self, request, obj=None):
        # The accounts that hold the keys to sealed reports, or an administrator's powers, are a superuser's
        # to change (core.user_admin): their passwords and email addresses included.
        if obj is not None and account_is_guarded(obj) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and account_is_guarded(obj) and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the password was changed
            user = self.get_object(request, id)
            config_log(actor=request.user, instance=user, action="update", before=None,
                       after={"password_changed": True})
        return response

    def delete_model(self, request, obj):
        config_delete(instance=obj, actor=request.user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), LoggedUserAdmin)


_admin_login = admin.site.login


def _throttled_admin_login(request, extra_context=None):
    """The admin's sign-in counts against the same per-address allowance as the API's token login."""
    if request.method == "POST" and (wait := throttle_wait(request, LOGIN)) is not None:
        response = HttpResponse(_("Too many sign-in attempts. Please try again in %(minutes)d minutes.")
                                % {"minutes": max(1, round(wait / 60))}, status=429,
                                content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(int(wait) + 1)
        return response
    return _admin_login(request, extra_context)


admin.site.login = _throttled_admin_login


def _superusers_only(request) -> bool:
    """The Django admin edits what only superusers may change (accounts, roles, the integrity unit's members)
    without the admin API's checks on each field: it is theirs alone. Office administrators use the admin API."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ConfigLoggedAdmin):
    """The ITA checklist's items and the document each is answered with (reports/evidence.py)."""

    list_display = ["fiscal_year", "code", "title", "document", "position"]
    list_filter = ["fiscal_year", "document"]


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    fields = ["name", "user", "position", "group", "term_start", "term_end", "end_reason"]


@admin.register(Committee)
class CommitteeAdmin(ConfigLoggedAdmin):
    """Committees and their members' terms; every change in the configuration log (workflows/participation.py)."""

    list_display = ["code", "name_th", "order_number", "order_date", "quorum_rule", "majority_rule", "active"]
    inlines = [CommitteeMemberInline]


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(ConfigLoggedAdmin):
    list_display = ["position", "code", "name_th", "kind"]


@admin.register(Open311Client)
class Open311ClientAdmin(ConfigLoggedAdmin):
    """Open311 applications: keys are made by `manage.py open311_client NAME` (shown once); here a key is switched
    off (docs/channels.md)."""

    list_display = ["name", "active", "created_at"]
    fields = ["name", "active"]

    def has_add_permission(self, request) -> bool:
        return False


class SchoolsImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"), help_text=gettext_lazy(
        "A header row naming code (รหัสโรงเรียน), name_th (ชื่อโรงเรียน) and, if known, district (อำเภอ), subdistrict "
        "(ตำบล), latitude and longitude. UTF-8 or Thai windows-874. Schools already known are updated."))


@admin.register(School)
class SchoolAdmin(ConfigLoggedAdmin):
    """The office's schools; "Import from CSV" loads the office's list (core/schools.py)."""

    list_display = ["code", "name_th", "district", "subdistrict", "active"]
    list_filter = ["active", "district"]
    search_fields = ["code", "name_th", "name_en", "district", "subdistrict"]
    change_list_template = "admin/core/school/change_list.html"

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="core_school_import"),
                *super().get_urls()]

    def import_view(self, request):
        form = SchoolsImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > SCHOOLS_CSV_MAX_BYTES:
                form.add_error("file", _("The file is larger than 5 MB."))
            else:
                result = schools_import(upload.read(), actor=request.user)
                if not result.errors:
                    self.message_user(request, _("%(created)s schools added, %(updated)s updated.") % {
                        "created": result.created, "updated": result.updated}, messages.SUCCESS)
                    return redirect("admin:core_school_changelist")
                for problem in result.errors[:50]:
                    form.add_error("file", problem)
        return render(request, "admin/core/school/import.html", {
            **self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
            "title": _("Import schools from CSV")}, status=400 if form.errors else 200)


SCHOOLS_CSV_MAX_BYTES = 5 * 1024 * 1024
