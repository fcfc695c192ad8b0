"""The audit checkpoints' keys: print the public key (for the auditors and AUDIT_CHECKPOINT_PUBLIC_KEY), or make a
new pair for a new installation."""

import secrets

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management.base import BaseCommand

from core.audit_checkpoints import _encode, public_key_text


class Command(BaseCommand):
    help = "Print the checkpoints' public key, or with --new a new key pair to put in the environment."

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="Make a new pair (the private key is shown once).")

    def handle(self, *args, new, **options):
        if not new:
            self.stdout.write(f"AUDIT_CHECKPOINT_PUBLIC_KEY={public_key_text()}")
            return
        seed = secrets.token_bytes(32)
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.stdout.write(f"AUDIT_CHECKPOINT_SIGNING_KEY={_encode(seed)}")
        self.stdout.write(f"AUDIT_CHECKPOINT_PUBLIC_KEY={_encode(public)}")
