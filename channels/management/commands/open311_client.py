"""Give an Open311 application its API key (shown once; only its keyed hash is kept), or revoke one."""

import secrets

from django.core.management.base import BaseCommand, CommandError

from core.crypto import keyed_hash
from core.models import Open311Client


class Command(BaseCommand):
    help = "Add an Open311 client and print its API key once (--revoke NAME to stop one)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The application, as the office knows it (e.g. 'Traffy Fondue').")
        parser.add_argument("--revoke", action="store_true", help="Stop the named client's key from working.")

    def handle(self, *args, name: str, revoke: bool, **options):
        if revoke:
            if not Open311Client.objects.filter(name=name, active=True).update(active=False):
                raise CommandError(f"No active Open311 client is called {name!r}.")
            self.stdout.write(f"Revoked the key of {name}.")
            return
        key = secrets.token_urlsafe(24)
        Open311Client.objects.create(name=name, key_hash=keyed_hash(key))
        self.stdout.write(f"API key for {name} (shown only now): {key}")
