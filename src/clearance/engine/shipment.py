"""The input of a determination: one shipment, as the CLI and API contract define it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clearance.cellvalues import Day, Number
from clearance.law.codes import CasNumber, HsCode
from clearance.law.countries import CountryCode

EndUse = Literal["civil", "wmd", "conventional_weapons", "unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Item(_Strict):
    """What is exported: a control code (or ``null`` for an unlisted item), CAS and HS codes, kind, value.

    ``product`` names a part number of the product catalogue instead; it is resolved before determination
    (``clearance.classify.resolve_shipment``, through ``clearance.checks.read_shipment``), which fills the codes
    and sets ``classified``: who classified the product, when and on what evidence. ``determine`` refuses a
    product that was not resolved."""

    product: str | None = None
    classified: dict[str, str] | None = None
    control_code: str | None = None
    cas: CasNumber | None = None
    hs_code: HsCode | None = None
    kind: Literal["goods", "technology"]
    value: Number | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class Party(_Strict):
    """A counterparty (end user, consignee): name and country."""

    name: str = Field(min_length=1)
    country: CountryCode | None = None


class Shipment(_Strict):
    """One export or technology transfer to be determined.

    ``ref`` is the caller's own reference, echoed back. ``red_flags`` lists warning signs about the
    transaction (e.g. ``end_use_information_refused``, ``consignee_is_forwarder``, ``unusual_route``: see the
    Korean Foreign Trade Act Art. 19-3 items 1-12). ``exporter`` holds facts about the exporter the law may turn
    on (e.g. ``cp_grade``: A/AA/AAA, ``prior_exports_to_buyer_2y``, ``contract_years``); when one is needed but
    absent, the answer lists the licence options that depend on it instead of guessing."""

    ref: str | None = None
    regime: str = Field(min_length=1)
    date: Day
    destination: CountryCode
    item: Item
    end_use: EndUse = "unknown"
    end_user: Party | None = None
    informed: bool = False
    red_flags: list[str] = Field(default_factory=list)
    exporter: dict[str, str | int | bool] = Field(default_factory=dict)
