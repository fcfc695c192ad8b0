from django.urls import path
from django.views.i18n import set_language

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("corruption/", views.corruption, name="corruption"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:tracking>/", views.case, name="case"),
    path("track/<str:tracking>/message/", views.case_message, name="case-message"),
    path("track/<str:tracking>/feedback/", views.case_feedback, name="case-feedback"),
    path("track/<str:tracking>/reopen/", views.case_reopen, name="case-reopen"),
    path("track/<str:tracking>/forget/", views.case_forget, name="case-forget"),
    path("language/", set_language, name="set-language"),
]
