from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Rabfang core")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.backends.signals import connection_created
        from django.db.models.signals import pre_save

        from core.bulk import fast_timestamps
        from core.user_admin import tokens_revoke_on_password_change

        # Every timestamp a PostgreSQL connection reads is parsed by psycopg's C loader, not in Python
        # (several microseconds each: a large share of a queue page or a sweep batch).
        def _fast_timestamps(sender, connection, **kwargs):
            fast_timestamps(connection)

        connection_created.connect(_fast_timestamps, weak=False, dispatch_uid="core.fast_timestamps")
        pre_save.connect(tokens_revoke_on_password_change, sender=get_user_model(), weak=False,
                         dispatch_uid="core.tokens_revoke_on_password_change")
