"""The default agencies and waiting reasons (core/defaults.py)."""

from django.db import migrations

from core.defaults import referral_and_waiting_defaults_add


def defaults_add(apps, schema_editor):
    referral_and_waiting_defaults_add(apps.get_model("core", "Agency"), apps.get_model("core", "WaitingReason"))


class Migration(migrations.Migration):
    dependencies = [("core", "0017_referral_and_waiting")]

    operations = [migrations.RunPython(defaults_add, migrations.RunPython.noop)]
