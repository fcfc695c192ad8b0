"""Verify the audit hash chains against themselves and the signed checkpoints; name the first broken link of
each broken chain. ``--checkpoints FILE`` holds the chains to an exported copy of the checkpoints (what the
auditors keep), not to the database's, which someone with database access could have deleted."""

from collections import defaultdict
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.audit import ChainReport, chain_verify, chains_verify
from core.audit_checkpoints import SignedHead
from core.errors import NotFound
from core.models import Case
from core.selectors import case_get_public


class Command(BaseCommand):
    help = "Verify case audit chains. Exit status 1 if any chain is broken."

    def add_arguments(self, parser):
        parser.add_argument("tracking", nargs="*", help="Tracking numbers to check (default: every case).")
        parser.add_argument("--changed-within-hours", type=float, help="Only cases updated this recently.")
        parser.add_argument("--checkpoints", metavar="FILE",
                            help="An export of the checkpoints (audit_checkpoints_export) to verify against.")

    def handle(self, *args, tracking, changed_within_hours, checkpoints, **options):
        if checkpoints:
            checked, broken = self._against_export(checkpoints, tracking)
        elif tracking:
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

    def _against_export(self, path: str, tracking: list[str]):
        heads: dict[str, list[SignedHead]] = defaultdict(list)
        with open(path) as file:
            for line in file:
                if line.strip():
                    head = SignedHead.from_json(line)
                    heads[head.tracking_number].append(head)
        wanted = set(tracking) or set(heads)
        cases = {case.tracking_number: case for case in Case.objects.filter(tracking_number__in=wanted)}
        reports = []
        for number in sorted(wanted):
            if number not in cases:  # signed, and gone from the database
                reports.append(ChainReport(number, 0, ok=False, broken_seq=1,
                                           reason="the case is in the checkpoints but not in the database"))
                continue
            reports.append(chain_verify(cases[number], signed_heads=heads.get(number, [])))
        return len(reports), [report for report in reports if not report.ok]
