from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("stats/", views.statistics, name="statistics"),
    path("stats/reports/<int:report_id>/<str:fmt>/", views.published_file, name="published-file"),
    path("guideline/", views.guideline, name="guideline"),
]
