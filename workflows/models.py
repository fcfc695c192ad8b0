"""Django finds the workflow proxy models here."""

from workflows.codecision import CoDecision
from workflows.complaint import Complaint
from workflows.corruption import CorruptionReport
from workflows.suggestion import Suggestion

__all__ = ["CoDecision", "Complaint", "CorruptionReport", "Suggestion"]
