from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("stats/", views.statistics, name="statistics"),
    path("guideline/", views.guideline, name="guideline"),
]
