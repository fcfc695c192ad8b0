from django.urls import path

from workspace.views import auth, cases, dashboard, intake, live, queues, reports, two_factor

app_name = "workspace"

urlpatterns = [
    path("", queues.queue, name="queue"),
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
    path("login/code/", two_factor.code, name="login-code"),
    path("security/", two_factor.setup, name="2fa-setup"),
    path("reassign/", queues.bulk_reassign, name="bulk-reassign"),
    path("intake/", intake.intake, name="intake"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/audit-export/", reports.audit_export_page, name="audit-export"),
    path("reports/audit-export/<int:export_id>/", reports.audit_export_download, name="audit-export-file"),
    path("reports/evidence/", reports.evidence_page, name="evidence"),
    path("reports/<int:report_id>/", reports.report_page, name="report"),
    path("reports/<int:report_id>/analysis/", reports.report_analysis, name="report-analysis"),
    path("reports/<int:report_id>/approve/", reports.report_approval, name="report-approve"),
    path("reports/<int:report_id>/publish/", reports.report_publication, name="report-publish"),
    path("reports/<int:report_id>/correct/", reports.report_correction, name="report-correct"),
    path("reports/<int:report_id>/files/<str:fmt>/", reports.report_file, name="report-file"),
    path("notifications/", live.notifications, name="notifications"),
    path("notifications/read/", live.notifications_read, name="notifications-read"),
    path("notifications/<int:notification_id>/", live.notification_open, name="notification"),
    path("live/", live.live, name="live"),
    path("cases/<str:tracking>/live/", live.case_live, name="case-live"),
    path("intake/receipt/", intake.receipt, name="receipt"),
    path("cases/<str:tracking>/", cases.case_page, name="case"),
    path("cases/<str:tracking>/transitions/<str:name>/", cases.transition, name="transition"),
    path("cases/<str:tracking>/reply/", cases.reply, name="reply"),
    path("cases/<str:tracking>/note/", cases.note, name="note"),
    path("cases/<str:tracking>/claim/", cases.claim, name="claim"),
    path("cases/<str:tracking>/reassign/", cases.reassign, name="reassign"),
    path("cases/<str:tracking>/attachments/", cases.attachment_add, name="attachment-add"),
    path("cases/<str:tracking>/attachments/<int:attachment_id>/", cases.attachment_download, name="attachment"),
    path("cases/<str:tracking>/identity/", cases.reveal, name="reveal"),
    path("cases/<str:tracking>/verify/", cases.verify, name="verify"),
    path("cases/<str:tracking>/correct/", cases.correct, name="correct"),
    path("cases/<str:tracking>/redact/", cases.redact, name="redact"),
]
