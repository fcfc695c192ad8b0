from core.models.case import Case
from core.models.catalog import Category
from core.models.event import CaseEvent
from core.models.org import Membership, Office, Unit

__all__ = ["Case", "CaseEvent", "Category", "Membership", "Office", "Unit"]
