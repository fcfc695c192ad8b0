"""Print open, at-risk, overdue and escalated cases per unit."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.sla_report import sla_counts_by_unit


class Command(BaseCommand):
    help = "Counts of open, at-risk, overdue and escalated cases per unit."

    def handle(self, *args, **options):
        rows = sla_counts_by_unit(now=timezone.now())
        self.stdout.write(f"{'unit':<14}{'open':>7}{'at risk':>9}{'overdue':>9}{'escalated':>11}  name")
        for row in rows:
            self.stdout.write(f"{row['unit']:<14}{row['open']:>7}{row['at_risk']:>9}{row['overdue']:>9}"
                              f"{row['escalated']:>11}  {row['name']}")
        totals = {key: sum(row[key] for row in rows) for key in ("open", "at_risk", "overdue", "escalated")}
        self.stdout.write(f"{'total':<14}{totals['open']:>7}{totals['at_risk']:>9}{totals['overdue']:>9}"
                          f"{totals['escalated']:>11}")
