"""A committee's quorum and majority, as its rules say (core.models.participation): pure arithmetic on counts, used
by the meetings and resolutions that record votes (docs/participation.md)."""

from dataclasses import dataclass

from core.models import MajorityRule, QuorumRule


def quorum_needed(rule: str, serving: int) -> int:
    """How many serving members must be present."""
    if rule == QuorumRule.MORE_THAN_HALF:
        return serving // 2 + 1
    if rule == QuorumRule.TWO_THIRDS:
        return -(-2 * serving // 3)  # two thirds, rounded up
    return -(-serving // 2)  # at least half, rounded up


def quorum_met(rule: str, *, serving: int, present: int) -> bool:
    return serving > 0 and present >= quorum_needed(rule, serving)


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    casting_vote: bool  # decided by the chair's casting vote on a tie


def resolution_outcome(rule: str, *, in_favour: int, against: int, present: int,
                       chair_casts: str | None = None) -> Outcome:
    """Whether a motion carries. ``present``: members present and voting or abstaining (a member who declared a
    conflict of interest is not counted); ``chair_casts``: "for" or "against", the chair's casting vote on a tie."""
    if rule == MajorityRule.TWO_THIRDS_PRESENT:
        return Outcome(adopted=present > 0 and 3 * in_favour >= 2 * present, casting_vote=False)
    if in_favour != against:
        return Outcome(adopted=in_favour > against, casting_vote=False)
    if chair_casts in ("for", "against"):
        return Outcome(adopted=chair_casts == "for", casting_vote=True)
    return Outcome(adopted=False, casting_vote=False)  # a tie nobody decided: the motion does not carry
