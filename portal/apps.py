from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Rabfang citizen portal")

    def ready(self) -> None:
        from core.signals import demo_seeded
        from portal.demo_data import seed_channels

        # core cannot import the portal; the demo office's published channels are seeded when it is.
        demo_seeded.connect(seed_channels, dispatch_uid="portal.seed_channels")
