"""Generated development secrets.

Production sets ``SECRET_KEY`` and ``FIELD_ENCRYPTION_KEYS`` in the environment and sets
``RABFANG_REQUIRE_SECRETS=1`` so that a missing one stops start-up. A developer machine gets
random secrets generated once into ``var/`` (never committed), so ``make run`` needs no set-up.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def dev_secret(var_dir: Path, name: str, *, fernet: bool = False) -> str:
    if os.environ.get("RABFANG_REQUIRE_SECRETS", "").lower() in {"1", "true", "yes"}:
        env_name = "FIELD_ENCRYPTION_KEYS" if fernet else name.upper()
        raise ImproperlyConfigured(f"{env_name} must be set in the environment (RABFANG_REQUIRE_SECRETS is on).")
    path = var_dir / name
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    if fernet:
        from cryptography.fernet import Fernet

        value = Fernet.generate_key().decode()
    else:
        value = secrets.token_urlsafe(50)
    # Two processes starting together must end with one value: create exclusively, re-read on a race.
    try:
        with open(path, "x") as handle:
            handle.write(value)
        os.chmod(path, 0o600)
    except FileExistsError:
        value = path.read_text().strip()
    return value
