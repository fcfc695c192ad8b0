"""The names of Rabfang's background tasks: the one place they are spelled.

Services ask for work by name (``core.dispatch``) without importing ``workers``; ``workers/tasks.py``
registers each name and ``workers/schedule.py`` schedules some. ``tests/workers/test_schedule.py``
checks that every name here is registered and that nothing sends a name spelled anywhere else.
"""

DISPATCH_BATCH = "dispatch.batch"
ROUTE_CASE = "routing.route_case"
ROUTE_UNROUTED = "routing.sweep_unrouted"
SLA_SWEEP = "sla.sweep"
SLA_RECOMPUTE_OPEN = "sla.recompute_open"
ANSWERED_CLOSE = "cases.close_answered"
NOTIFICATIONS_DELIVER = "notifications.deliver"
NOTIFICATIONS_SWEEP = "notifications.sweep"
AUDIT_VERIFY_RECENT = "audit.verify_recent_chains"
AUDIT_CHECKPOINT = "audit.checkpoint"
PRIVACY_REMOVE_EXPIRED = "privacy.remove_expired_contacts"
DASHBOARD_REFRESH = "reports.dashboard_refresh"
STATISTICS_REFRESH = "reports.statistics_refresh"
REPORTS_GENERATE = "reports.generate"
REPORTS_SCHEDULED_DRAFT = "reports.scheduled_draft"
AUDIT_EXPORT = "audit.export"
MAILBOX_POLL = "mailbox.poll"
LINE_PROCESS_EVENT = "line.process_event"

ALL = frozenset({DISPATCH_BATCH, ROUTE_CASE, ROUTE_UNROUTED, SLA_SWEEP, SLA_RECOMPUTE_OPEN, ANSWERED_CLOSE,
                 NOTIFICATIONS_DELIVER,
                 NOTIFICATIONS_SWEEP, AUDIT_VERIFY_RECENT, AUDIT_CHECKPOINT, PRIVACY_REMOVE_EXPIRED, DASHBOARD_REFRESH,
                 STATISTICS_REFRESH, REPORTS_GENERATE,
                 REPORTS_SCHEDULED_DRAFT, AUDIT_EXPORT, MAILBOX_POLL, LINE_PROCESS_EVENT})
