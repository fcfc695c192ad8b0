from django.urls import path
from django.views.i18n import set_language

from portal import consultations, surveys, views

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
    path("participation/", consultations.consultations, name="participation"),
    path("participation/board/", consultations.board, name="participation-board"),
    path("participation/opinions/<str:number>/", consultations.opinion_status, name="opinion"),
    path("participation/unfollow/<str:token>/", consultations.unfollow, name="participation-unfollow"),
    path("participation/<str:tracking>/", consultations.item, name="participation-item"),
    path("participation/<str:tracking>/opinion/", consultations.opinion, name="participation-opinion"),
    path("participation/<str:tracking>/follow/", consultations.follow, name="participation-follow"),
    path("participation/<str:tracking>/documents/<int:document_id>/", consultations.document,
         name="participation-document"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<slug:code>/", surveys.survey, name="survey"),
    path("surveys/<slug:code>/results/", surveys.results, name="survey-results"),
    path("language/", set_language, name="set-language"),
]
