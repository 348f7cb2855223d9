"""The audit trail's pure logic: canonical JSON, the hash chain and its verification, and replay.

Records are stored by :mod:`clearance.store`; nothing here touches a database or the clock.
"""

from __future__ import annotations

from clearance.audit.canonical import canonical, canonical_text, recanonical
from clearance.audit.chain import GENESIS, NOTICE, Entry, Finding, Head, Verification, Verifier, seal, verify
from clearance.audit.replay import REPLAYABLE, Difference, Replay, diff, replay

__all__ = [
    "GENESIS",
    "NOTICE",
    "REPLAYABLE",
    "Difference",
    "Entry",
    "Finding",
    "Head",
    "Replay",
    "Verification",
    "Verifier",
    "canonical",
    "canonical_text",
    "diff",
    "recanonical",
    "replay",
    "seal",
    "verify",
]
