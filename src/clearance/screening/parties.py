"""A party to screen and a reviewer's verdict on a hit, as the API, the web pages and the store take them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from clearance.law.countries import CountryCode, check_country
from clearance.screening.matcher import Query


def _listed(value: object) -> object:
    """One code or several: ``country`` is a list, as in ``POST /match`` (a single code is taken as a list of one,
    checked here so that a bad one is named ``country``)."""
    return [check_country(value)] if isinstance(value, str) else value


EntitySchema = Literal["LegalEntity", "Person", "Organization", "Company", "PublicBody", "Vessel", "Airplane"]
_NAME = r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"


class PartyIn(BaseModel):
    """A party to screen: a name (any script), aliases, country, schema and identifiers; ``party_id`` is your id
    for it (decisions are kept per party: without an id, per name, schema, countries and identifiers), and
    ``subject`` what the screening is about (e.g. a shipment ref)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=500, pattern=_NAME)
    aliases: list[Annotated[str, Field(min_length=1, max_length=500, pattern=_NAME)]] = Field(
        default_factory=list, max_length=20
    )
    country: Annotated[list[CountryCode], BeforeValidator(_listed)] = Field(default_factory=list, max_length=20)
    entity_schema: EntitySchema = Field(default="LegalEntity", alias="schema")
    identifiers: list[Annotated[str, Field(min_length=1, max_length=100, pattern=_NAME)]] = Field(
        default_factory=list, max_length=20
    )
    party_id: str | None = Field(default=None, min_length=1, max_length=200, pattern=_NAME)
    subject: str | None = Field(default=None, min_length=1, max_length=200, pattern=_NAME)

    def query(self) -> Query:
        """The screening query."""
        countries = tuple(code.lower() for code in self.country)
        return Query((self.name, *self.aliases), self.entity_schema, countries, tuple(self.identifiers))


class DecisionIn(BaseModel):
    """A reviewer's verdict on a hit: ``false_positive`` clears it (the good-guy list) until the list entry or the
    party changes; ``match`` confirms it. Both need the reason, which is kept in the audit trail."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    verdict: Literal["match", "false_positive"]
    reason: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
