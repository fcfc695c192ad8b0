from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    """The ways in besides Rabfang's own pages and API (docs/channels.md): each turns what it receives into the same
    intake service call."""

    name = "channels"
    label = "intake_channels"  # ("channels" is Django Channels' label: never two apps of one name)
