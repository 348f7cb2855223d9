"""Where a good that is not listed falls under the catch-all: the part of row 16 its HS code names, read from the
pack (:func:`clearance.classify.hs.check_hs`), or none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from clearance.classify.hs import check_hs
from clearance.errors import InputError
from clearance.law.regulations import Regulations

#: The question asked when the catch-all part depends on an HS code that is not given.
HS_QUESTION = {
    "parameter": "hs_code",
    "question": "What is the product's HS code (customs tariff number)?",
    "question_local": "関税率表の番号（HSコード）は何ですか。",
}


@dataclass(frozen=True, slots=True)
class Placement:
    """The catch-all part (``jp:16(1)``, ``jp:16(2)``; ``jp:16`` before the split) or none, and why.

    ``applies`` is ``yes`` for a not-listed good, ``if_not_listed`` for an undecided one and ``no`` for a listed
    one (the list control applies instead); ``needs_hs_code`` when the placement waits for the HS code."""

    part: str | None
    applies: str
    hs_code: str | None
    reason: str
    citations: tuple[dict[str, Any], ...]
    needs_hs_code: bool = False
    candidates: tuple[str, ...] = ()

    @property
    def catch_all(self) -> str | None:
        """The part as the assessment's ``catch_all`` reports it: none for a listed good."""
        return self.part if self.applies != "no" else None


def place(regulations: Regulations, hs_code: str | None, when: dt.date, verdict: str) -> Placement:
    """The catch-all placement of a good with ``hs_code`` whose list verdict is ``verdict``."""
    applies = {"listed": "no", "not_listed": "yes"}.get(verdict, "if_not_listed")
    if hs_code is None:
        reason = "The HS code is not given: the catch-all part cannot be placed."
        return Placement(None, applies, None, reason, (), needs_hs_code=verdict != "listed")
    try:
        answer = check_hs(regulations, hs_code, when)
    except InputError as exc:
        raise InputError("product.hs_code", exc.message) from None
    cites = tuple({"source": c.id, "title": c.title, "provision": c.provision, "url": c.url} for c in answer.citations)
    if answer.candidates:
        reason = (
            f"HS {hs_code} is inside the catch-all scope, in {' or '.join(answer.candidates)} depending on a fact "
            f"the HS code does not show: {answer.needs}."
        )
        return Placement(None, applies, hs_code, reason, cites, candidates=answer.candidates)
    if answer.in_catch_all and answer.row is not None:
        label = f" ({answer.row_label})" if answer.row_label else ""
        reason = f"HS {hs_code} falls in {answer.row}{label}: catch-all scope {answer.chapters}."
        if verdict == "listed":
            reason = f"Listed: the list control applies, not the catch-all (HS {hs_code} would fall in {answer.row})."
        return Placement(answer.row, applies, hs_code, reason, cites)
    reason = f"HS {hs_code} (chapter {answer.chapter}) is outside the catch-all scope ({answer.chapters})."
    return Placement(None, applies, hs_code, reason, cites)
