from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
]

# Anything that escapes the views still answers in the API's error format.
handler400 = "api.errors.json_bad_request"
handler403 = "api.errors.json_permission_denied"
handler404 = "api.errors.json_not_found"
handler500 = "api.errors.json_server_error"
