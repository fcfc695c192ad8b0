"""The workspace's fixtures, for the channels' pages."""

from tests.workspace.conftest import desk  # noqa: F401 - fixtures
