from core.models.agency import Agency
from core.models.attachment import Attachment
from core.models.case import Case
from core.models.catalog import Category
from core.models.config import ConfigChange, ReplyTemplate
from core.models.consultation import ConsultationQuestion, Follower, Milestone, Opinion, OpinionTheme, Stance
from core.models.event import AuditCheckpoint, AuditCheckpointEntry, CaseEvent
from core.models.line import LineUser
from core.models.open311 import Open311Client
from core.models.ops import CalendarMark, DashboardSnapshot, Heartbeat, StatisticsSnapshot
from core.models.org import Membership, Office, Unit
from core.models.outbox import Notification
from core.models.participation import (
    Attendance,
    Committee,
    CommitteeMember,
    CommitteePosition,
    GroupKind,
    MajorityRule,
    Meeting,
    MeetingDocument,
    QuorumRule,
    Resolution,
    StakeholderGroup,
    Vote,
    VoteChoice,
)
from core.models.report import (
    AuditExport,
    EvidenceDocument,
    EvidenceItem,
    FilesStatus,
    Report,
    ReportEvent,
    ReportStatus,
)
from core.models.routing import RoutingRule
from core.models.school import School
from core.models.sla import (
    CalendarCode,
    ClockKind,
    DurationUnit,
    OfficeClosure,
    PauseReason,
    SlaClock,
    SlaPause,
    SlaPolicy,
    WaitingReason,
)
from core.models.survey import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveySubject,
    TextReview,
)

__all__ = [
    "LineUser",
    "School",
    "Open311Client",
    "QuestionKind",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveySubject",
    "TextReview",
    "MeetingDocument",
    "ConsultationQuestion",
    "Follower",
    "Milestone",
    "Opinion",
    "OpinionTheme",
    "Stance",
    "Agency",
    "Attachment",
    "CalendarCode",
    "Case",
    "AuditCheckpoint",
    "AuditCheckpointEntry",
    "CaseEvent",
    "Category",
    "ConfigChange",
    "ClockKind",
    "DurationUnit",
    "CalendarMark",
    "DashboardSnapshot",
    "StatisticsSnapshot",
    "FilesStatus",
    "AuditExport",
    "Attendance",
    "Meeting",
    "Resolution",
    "Vote",
    "VoteChoice",
    "Committee",
    "CommitteeMember",
    "CommitteePosition",
    "GroupKind",
    "MajorityRule",
    "QuorumRule",
    "StakeholderGroup",
    "EvidenceDocument",
    "EvidenceItem",
    "Report",
    "ReportEvent",
    "ReportStatus",
    "Heartbeat",
    "Membership",
    "Notification",
    "Office",
    "OfficeClosure",
    "PauseReason",
    "ReplyTemplate",
    "RoutingRule",
    "SlaClock",
    "SlaPause",
    "SlaPolicy",
    "Unit",
    "WaitingReason",
]
