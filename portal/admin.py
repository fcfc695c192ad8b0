from django.contrib import admin

from core.admin import ConfigLoggedAdmin
from portal.models import PublishedChannel


@admin.register(PublishedChannel)
class PublishedChannelAdmin(ConfigLoggedAdmin):
    list_display = ["name_th", "kind", "detail_th", "position", "active"]
    list_filter = ["office", "kind", "active"]
