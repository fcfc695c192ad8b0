"""Verify the audit hash chains; name the first broken link of each broken chain."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.audit import chain_verify, chains_verify
from core.errors import NotFound
from core.models import Case
from core.selectors import case_get_public


class Command(BaseCommand):
    help = "Verify case audit chains. Exit status 1 if any chain is broken."

    def add_arguments(self, parser):
        parser.add_argument("tracking", nargs="*", help="Tracking numbers to check (default: every case).")
        parser.add_argument("--changed-within-hours", type=float, help="Only cases updated this recently.")

    def handle(self, *args, tracking, changed_within_hours, **options):
        if tracking:
            try:
                reports = [chain_verify(case_get_public(tracking=number)) for number in tracking]
            except NotFound as error:
                raise CommandError(error.message) from None
            checked, broken = len(reports), [report for report in reports if not report.ok]
        else:
            cases = Case.objects.order_by("pk")
            if changed_within_hours is not None:
                cases = cases.filter(updated_at__gte=timezone.now() - timedelta(hours=changed_within_hours))
            checked, broken = cases.count(), chains_verify(cases)
        for report in broken:
            self.stdout.write(
                self.style.ERROR(f"{report.tracking_number}: broken at event {report.broken_seq}: {report.reason}")
            )
        if broken:
            raise CommandError(f"{len(broken)} of {checked} chains are broken.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{checked} chains verified, all intact."))
