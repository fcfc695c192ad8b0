"""Export every signed checkpoint entry as JSON lines, for the auditors to keep outside the database."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.audit_checkpoints import checkpoint_create, signed_heads_export


class Command(BaseCommand):
    help = ("Write every signed audit checkpoint entry (one JSON line each) to FILE or standard output; "
            "`verify_audit --checkpoints FILE` verifies against it.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="Where to write (default: standard output).")
        parser.add_argument("--checkpoint-first", action="store_true",
                            help="Sign the chains that moved since the last checkpoint before exporting.")

    def handle(self, *args, file, checkpoint_first, **options):
        if checkpoint_first:
            checkpoint_create(now=timezone.now())
        out = sys.stdout if file == "-" else open(file, "w")  # noqa: SIM115 - closed below
        try:
            count = 0
            for line in signed_heads_export():
                out.write(line)
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"{count} signed chain heads exported.")
