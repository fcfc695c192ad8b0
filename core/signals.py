"""Signals for set-up only (never for a case's domain flow, which goes through services)."""

from django.dispatch import Signal

# Sent by `seed_demo` after the demo office exists; apps that publish demo content of their own
# (the portal's contact channels) add it then, without core importing them.
demo_seeded = Signal()  # kwargs: office
