from csp.decorators import csp_exempt
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.views import (
    admin,
    admin_config,
    attachments,
    consultation,
    health,
    participation,
    public,
    staff,
    supervisor,
    surveys,
    work,
)

TRACKING = "<str:tracking>"

public_urls = [
    path("public/categories/", public.PublicCategoriesApi.as_view(), name="public-categories"),
    path("public/stats/", public.PublicStatisticsApi.as_view(), name="public-stats"),
    path("public/cases/", public.PublicCaseSubmitApi.as_view(), name="public-case-submit"),
    path(f"public/cases/{TRACKING}/", public.PublicCaseStatusApi.as_view(), name="public-case-status"),
    path(f"public/cases/{TRACKING}/replies/", public.PublicCaseRepliesApi.as_view(), name="public-case-replies"),
    path(f"public/cases/{TRACKING}/messages/", public.PublicCaseMessagesApi.as_view(), name="public-case-messages"),
    path(f"public/cases/{TRACKING}/feedback/", public.PublicCaseFeedbackApi.as_view(), name="public-case-feedback"),
    path(f"public/cases/{TRACKING}/reopen/", public.PublicCaseReopenApi.as_view(), name="public-case-reopen"),
    path(f"public/cases/{TRACKING}/access-key/", public.PublicCaseAccessKeyApi.as_view(),
         name="public-case-access-key"),
    path("public/consultations/", consultation.ConsultationsApi.as_view(), name="public-consultations"),
    path(f"public/consultations/{TRACKING}/", consultation.ConsultationItemApi.as_view(), name="public-consultation"),
    path(f"public/consultations/{TRACKING}/opinions/", consultation.ConsultationOpinionsApi.as_view(),
         name="public-consultation-opinions"),
    path(f"public/consultations/{TRACKING}/followers/", consultation.ConsultationFollowersApi.as_view(),
         name="public-consultation-followers"),
    path("public/opinions/<str:number>/", consultation.OpinionStatusApi.as_view(), name="public-opinion"),
    path("public/board/", consultation.BoardApi.as_view(), name="public-board"),
    path("public/surveys/", surveys.PublicSurveysApi.as_view(), name="public-surveys"),
    path("public/surveys/<slug:code>/", surveys.PublicSurveyApi.as_view(), name="public-survey"),
    path("public/surveys/<slug:code>/responses/", surveys.PublicSurveyResponsesApi.as_view(),
         name="public-survey-responses"),
    path("public/surveys/<slug:code>/results/", surveys.PublicSurveyResultsApi.as_view(),
         name="public-survey-results"),
]

staff_urls = [
    path("auth/token/", staff.TokenApi.as_view(), name="auth-token"),
    path("auth/logout/", staff.LogoutApi.as_view(), name="auth-logout"),
    path("cases/", staff.CaseListCreateApi.as_view(), name="cases"),
    # Before cases/{tracking}/, which would otherwise read "reassign" or "counts" as a tracking number.
    path("cases/reassign/", work.BulkReassignApi.as_view(), name="cases-reassign"),
    path("cases/counts/", staff.CaseCountsApi.as_view(), name="cases-counts"),
    path(f"cases/{TRACKING}/", staff.CaseDetailApi.as_view(), name="case-detail"),
    path(f"cases/{TRACKING}/transitions/<str:name>/", staff.CaseTransitionApi.as_view(), name="case-transition"),
    path(f"cases/{TRACKING}/events/", staff.CaseEventsApi.as_view(), name="case-events"),
    path(f"cases/{TRACKING}/events/verify/", staff.CaseEventsVerifyApi.as_view(), name="case-events-verify"),
    path("supervisor/summary/", supervisor.SupervisorSummaryApi.as_view(), name="supervisor-summary"),
    path("surveys/", surveys.SurveysApi.as_view(), name="surveys"),
    path("surveys/<slug:code>/questions/", surveys.SurveyQuestionsApi.as_view(), name="survey-questions"),
    path("surveys/<slug:code>/invitations/", surveys.SurveyInvitationsApi.as_view(), name="survey-invitations"),
    path("surveys/<slug:code>/results/", surveys.SurveyResultsApi.as_view(), name="survey-results"),
    path("survey-answers/<int:answer_id>/review/", surveys.SurveyTextReviewApi.as_view(), name="survey-answer-review"),
    path("committees/", participation.CommitteesApi.as_view(), name="committees"),
    path("committees/<slug:code>/meetings/", participation.MeetingsApi.as_view(), name="committee-meetings"),
    path("committees/<slug:code>/members/", participation.CommitteeMembersApi.as_view(), name="committee-members"),
    path("committee-members/<int:member_id>/end/", participation.CommitteeMemberEndApi.as_view(),
         name="committee-member-end"),
    path("meetings/<int:meeting_id>/resolutions/", participation.ResolutionsApi.as_view(), name="meeting-resolutions"),
    path(f"cases/{TRACKING}/consultation/questions/", consultation.QuestionsApi.as_view(), name="case-questions"),
    path(f"cases/{TRACKING}/attachments/<int:attachment_id>/publish/", consultation.DocumentPublishApi.as_view(),
         name="case-attachment-publish"),
    path(f"cases/{TRACKING}/opinions/", consultation.StaffOpinionsApi.as_view(), name="case-opinions"),
    path("opinions/<str:number>/hide/", consultation.OpinionHideApi.as_view(), name="opinion-hide"),
    path(f"cases/{TRACKING}/themes/", consultation.ThemesApi.as_view(), name="case-themes"),
    path(f"cases/{TRACKING}/themes/<int:theme_id>/", consultation.ThemeApi.as_view(), name="case-theme"),
    path(f"cases/{TRACKING}/milestones/", consultation.MilestonesApi.as_view(), name="case-milestones"),
    path(f"cases/{TRACKING}/milestones/<int:milestone_id>/", consultation.MilestoneApi.as_view(),
         name="case-milestone"),
    path(f"cases/{TRACKING}/notes/", work.CaseNoteApi.as_view(), name="case-notes"),
    path(f"cases/{TRACKING}/replies/", work.CaseReplyApi.as_view(), name="case-replies"),
    path(f"cases/{TRACKING}/claim/", work.CaseClaimApi.as_view(), name="case-claim"),
    path(f"cases/{TRACKING}/attachments/", attachments.CaseAttachmentsApi.as_view(), name="case-attachments"),
    path(f"cases/{TRACKING}/attachments/<int:attachment_id>/", attachments.CaseAttachmentDownloadApi.as_view(),
         name="case-attachment"),
    path(f"cases/{TRACKING}/identity/", work.CaseIdentityApi.as_view(), name="case-identity"),
    path(f"cases/{TRACKING}/access-key/", work.CaseAccessKeyApi.as_view(), name="case-access-key"),
    path(f"cases/{TRACKING}/reassign/", work.CaseReassignApi.as_view(), name="case-reassign"),
    path(f"cases/{TRACKING}/correct/", work.CaseCorrectApi.as_view(), name="case-correct"),
    path(f"cases/{TRACKING}/redact/", work.CaseRedactApi.as_view(), name="case-redact"),
]

config_router = SimpleRouter()
for prefix, viewset in [
    ("units", admin_config.UnitViewSet),
    ("memberships", admin_config.MembershipViewSet),
    ("users", admin_config.UserViewSet),
    ("categories", admin_config.CategoryViewSet),
    ("routing-rules", admin_config.RoutingRuleViewSet),
    ("sla-policies", admin_config.SlaPolicyViewSet),
    ("reply-templates", admin_config.ReplyTemplateViewSet),
    ("agencies", admin_config.AgencyViewSet),
    ("waiting-reasons", admin_config.WaitingReasonViewSet),
    ("config-log", admin_config.ConfigChangeViewSet),
]:
    config_router.register(f"admin/{prefix}", viewset, basename=f"admin-{prefix}")

admin_urls = config_router.urls + [
    path("admin/closures/", admin.ClosureListCreateApi.as_view(), name="admin-closures"),
    path("admin/closures/<str:day>/", admin.ClosureDeleteApi.as_view(), name="admin-closure"),
]

urlpatterns = [
    path("api/v1/", include(public_urls + staff_urls + admin_urls)),
    path("healthz", health.HealthApi.as_view(), name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets itself up with inline script and style: the one page exempt from the CSP.
    path("api/docs/", csp_exempt()(SpectacularSwaggerView.as_view(url_name="schema")), name="docs"),
]
