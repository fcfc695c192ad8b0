from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Rabfang core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from core.bulk import fast_timestamps

        # Every timestamp a PostgreSQL connection reads is parsed by psycopg's C loader, not in Python
        # (several microseconds each: a large share of a queue page or a sweep batch).
        def _fast_timestamps(sender, connection, **kwargs):
            fast_timestamps(connection)

        connection_created.connect(_fast_timestamps, weak=False, dispatch_uid="core.fast_timestamps")
