"""Counts of open, at-risk, overdue and escalated cases per unit, for operators and supervisors."""

from datetime import datetime

from django.db.models import Count, Q

from core.models import Case


def sla_counts_by_unit(*, now: datetime) -> list[dict]:
    open_cases = Case.objects.filter(closed_at__isnull=True)
    rows = (
        open_cases.values("unit__code", "unit__name_th")
        .annotate(
            open=Count("pk"),
            at_risk=Count("pk", filter=Q(sla_warn_at__lte=now, sla_due_at__gte=now)),
            overdue=Count("pk", filter=Q(sla_due_at__lt=now)),
            escalated=Count("pk", filter=Q(escalation_level__gte=1)),
        )
        .order_by("unit__code")
    )
    return [
        {"unit": row["unit__code"] or "-", "name": row["unit__name_th"] or "(ยังไม่ส่งกลุ่มงาน)", "open": row["open"],
         "at_risk": row["at_risk"], "overdue": row["overdue"], "escalated": row["escalated"]}
        for row in rows
    ]
