"""The product catalogue: part numbers, descriptions, HS codes and one classification per regime.

A classification is either ``listed`` (with the control code the engine reads, e.g. ``3C002.a.2``) or an
explicit ``not_listed``; each records who classified the product, when, and on what evidence. A product
without a classification for a regime cannot be determined under that regime: :func:`resolve_product`
refuses rather than treat it as unlisted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from clearance.cellvalues import Day
from clearance.errors import InputError
from clearance.law.codes import CasNumber, HsCode, normalise_code

Status = Literal["listed", "not_listed"]
ItemKind = Literal["goods", "technology"]

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any) -> Any:
    """Line ends as ``\\n``; control characters (other than tab and newline) are refused."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = _ILLEGAL.search(value)
    if bad:
        raise ValueError(f"control character U+{ord(bad.group()):04X} is not allowed")
    return value


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return clean_text(value)


class ProductClassification(_Model):
    """A product's classification under one regime: listed with a control code, or explicitly not listed."""

    regime: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    status: Status
    control_code: str | None = None
    entry: str | None = None
    classified_by: str = Field(min_length=1)
    classified_on: Day
    evidence: str = Field(min_length=1)

    @field_validator("control_code", "entry", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Any:
        return _blank_is_none(value)

    @field_validator("control_code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return normalise_code(value) if value is not None else None

    @model_validator(mode="after")
    def _status(self) -> ProductClassification:
        if self.status == "listed" and self.control_code is None:
            raise ValueError("control_code is required when status is listed")
        if self.status == "not_listed" and self.control_code is not None:
            raise ValueError("control_code must be empty when status is not_listed")
        return self


class Product(_Model):
    """A product of the catalogue with its classifications (at most one per regime)."""

    part_number: str = Field(min_length=1, pattern=r"^[^\n\t]+$")
    description: str = Field(min_length=1)
    hs_code: HsCode | None = None
    cas: CasNumber | None = None
    kind: ItemKind = "goods"
    classifications: tuple[ProductClassification, ...] = ()

    @field_validator("hs_code", "cas", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Any:
        return _blank_is_none(value)

    @model_validator(mode="after")
    def _one_per_regime(self) -> Product:
        regimes = [c.regime for c in self.classifications]
        for regime in regimes:
            if regimes.count(regime) > 1:
                raise ValueError(f"more than one classification for regime {regime!r}")
        return self

    def classification(self, regime: str) -> ProductClassification | None:
        """The product's classification under ``regime``, if any."""
        return next((c for c in self.classifications if c.regime == regime), None)


class Catalogue(Mapping[str, Product]):
    """Products by part number, in the order they were read; ``name`` says where they came from."""

    def __init__(self, products: Iterable[Product] = (), name: str = "catalogue") -> None:
        self.name = name
        self._products: dict[str, Product] = {}
        for product in products:
            if product.part_number in self._products:
                raise InputError("part_number", f"{product.part_number!r} appears twice in {name}")
            self._products[product.part_number] = product

    def __getitem__(self, part_number: str) -> Product:
        return self._products[part_number]

    def __iter__(self) -> Iterator[str]:
        return iter(self._products)

    def __len__(self) -> int:
        return len(self._products)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalogue):
            return NotImplemented
        return list(self._products.items()) == list(other._products.items())

    def __hash__(self) -> int:
        return hash(tuple(self._products))

    def merged(self, other: Catalogue) -> tuple[Catalogue, list[str], list[str]]:
        """This catalogue with ``other``'s products added or replacing ours; and the added and updated parts."""
        added = [p for p in other if p not in self]
        updated = [p for p in other if p in self and self[p] != other[p]]
        products = {**self._products, **dict(other.items())}
        return Catalogue(products.values(), self.name), added, updated


@dataclass(frozen=True, slots=True)
class ResolvedProduct:
    """What a catalogue product contributes to a shipment's item under one regime, and how it was classified."""

    part_number: str
    regime: str
    control_code: str | None
    hs_code: str | None
    cas: str | None
    kind: ItemKind
    classification: ProductClassification

    def item_fields(self) -> dict[str, Any]:
        """The shipment item fields this product supplies."""
        return {"control_code": self.control_code, "hs_code": self.hs_code, "cas": self.cas, "kind": self.kind}

    def classified(self) -> dict[str, str]:
        """How the product was classified, as the shipment's ``item.classified`` records it (text values)."""
        c = self.classification
        facts = {
            "status": c.status,
            "control_code": c.control_code,
            "entry": c.entry,
            "classified_by": c.classified_by,
            "classified_on": c.classified_on.isoformat(),
            "evidence": c.evidence,
        }
        return {key: value for key, value in facts.items() if value is not None}


def resolve_product(catalogue: Catalogue | None, part_number: str, regime: str) -> ResolvedProduct:
    """The item fields of ``part_number`` under ``regime``.

    Raises :class:`InputError` on ``item.product`` when there is no catalogue, the product is unknown, or it
    has no classification for the regime (a missing classification is never taken as ``not_listed``).
    """
    if catalogue is None:
        raise InputError(
            "item.product",
            f"{part_number!r} cannot be resolved: there is no product catalogue (give one: the CLI's --catalogue,"
            " the server's --catalogue or CLEARANCE_CATALOGUE)",
        )
    product = catalogue.get(part_number)
    if product is None:
        raise InputError("item.product", f"unknown product {part_number!r} (not in {catalogue.name})")
    found = product.classification(regime)
    if found is None:
        have = ", ".join(c.regime for c in product.classifications) or "none"
        raise InputError(
            "item.product",
            f"product {part_number!r} has no classification for regime {regime!r} (classified for: {have});"
            " classify it, or record status not_listed, before determining",
        )
    return ResolvedProduct(part_number, regime, found.control_code, product.hs_code, product.cas, product.kind, found)


def resolve_shipment(shipment: Mapping[str, Any], catalogue: Catalogue | None) -> dict[str, Any]:
    """A shipment (as JSON data) with its item's ``product`` resolved against ``catalogue`` under the shipment's
    regime: the one resolution of a shipment, used alike by the CLI (``--catalogue``), the HTTP API (single and
    batch, with the server's catalogue), the web check form and licence drawdowns.

    The item's ``control_code``, ``hs_code``, ``cas`` and ``kind`` come from the product; fields the item gives
    itself must agree (:class:`InputError` on ``item.<field>``); ``item.classified`` records who classified the
    product, when and on what evidence (taken from the catalogue, never from the caller). A shipment without a
    product is returned as given. :class:`InputError` on ``item.product`` when there is no catalogue, the product
    is unknown or has no classification for the regime (see :func:`resolve_product`)."""
    data = dict(shipment)
    item = data.get("item")
    if not isinstance(item, Mapping):
        return data  # the shipment's own validation names the item
    part = item.get("product")
    if part is None:
        if item.get("classified") is not None:
            raise InputError("item.classified", "is recorded from the product catalogue: give item.product instead")
        return data
    if not isinstance(part, str) or not part.strip():
        raise InputError("item.product", f"expected a part number, got {part!r}")
    regime = data.get("regime")
    if not isinstance(regime, str) or not regime.strip():
        raise InputError("regime", "required to resolve item.product")
    resolved = resolve_product(catalogue, part.strip(), regime)
    out = {key: value for key, value in item.items() if key != "classified"}
    for field, value in resolved.item_fields().items():
        given = out.get(field)
        if given is not None and not _same(field, given, value):
            message = f"{given!r} conflicts with the catalogue ({resolved.part_number}: {value!r} for {regime})"
            raise InputError(f"item.{field}", message)
        out[field] = value
    data["item"] = {**out, "product": resolved.part_number, "classified": resolved.classified()}
    return data


def _same(field: str, given: Any, value: Any) -> bool:
    if field == "control_code" and isinstance(given, str) and value is not None:
        try:
            return bool(normalise_code(given) == value)
        except ValueError:
            return False
    return bool(given == value)
