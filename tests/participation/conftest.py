"""The workspace's and the portal's fixtures, for participation's pages: staff desks and citizens' tabs."""

from tests.portal.conftest import visit  # noqa: F401 - fixtures
from tests.workspace.conftest import desk, desk_tab  # noqa: F401 - fixtures
