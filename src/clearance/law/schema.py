"""The data format of a regulation pack, as pydantic models (strict: unknown keys are errors).

A pack is a folder ``regulations/<id>/`` holding:

- ``pack.yaml`` (:class:`PackMeta`): what the pack covers;
- ``sources.yaml`` (:class:`Source` by id): every citable provision, notice or report;
- ``country_lists/<id>.yaml`` (:class:`CountryList`): legal lists of countries, e.g. Appended Table 3;
- ``country_groups.yaml`` (:class:`DestinationGroup` by id): the destination groups, in order;
- ``control_list/rows.yaml`` (:class:`ControlRow` by id) and ``control_list/entries.yaml``
  (:class:`ControlEntry` by id): the control list and its concordance with Wassenaar-style codes;
- ``requirements.yaml`` (:class:`Requirement` by id): when a licence is required, and on which basis;
- ``exemptions.yaml`` (:class:`Exemption` by id): when a required licence is not needed after all;
- ``licence_types.yaml`` (:class:`LicenceType` by id): who may use which licence, review times, validity;
- ``measures/<id>.yaml`` (:class:`Measure`): country- or item-specific measures that take licence types
  away, and labelled exceptions that give them back;
- ``party_lists.yaml`` (:class:`PartyList` by id): restricted-party lists the law refers to (e.g. METI's End
  User List), screened when a condition uses ``end_user_on_list``;
- ``red_flags.yaml`` (:class:`RedFlag` by id): the warning signs the law names, the vocabulary of a shipment's
  ``red_flags``.

Everything that changes over time is a ``values:`` map keyed by ISO effective date; the newest date on or
before the date asked about wins; ``{repealed: true, sources: [...], verified: ...}`` repeals. Each value cites
source ids and says whether it was checked against a primary legal text (``verified``, never defaulted). A
pack declares ``format: 2`` (see ``law.format2``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from clearance.law.codes import CasNumber

#: What a source is worth as evidence: ``primary`` (law text, official gazette), ``official`` (the authority's
#: pages, circulars, Q&A), ``press`` (the publisher's own page) or ``secondary`` (law-firm notes, commentaries).
SourceClass = Literal["primary", "official", "press", "secondary"]
#: Classes a ``verified: true`` value must cite one of; a value citing only press or secondary sources is unverified.
PROVING_CLASSES = frozenset({"primary", "official"})

SourceKind = Literal[
    "statute", "cabinet_order", "ordinance", "circular", "notice", "official_release", "press", "secondary"
]

#: A condition: a mapping with one key, the name of a registered predicate (see ``law.predicates``).
Condition = dict[str, Any]


class Model(BaseModel):
    """Base of every pack model: unknown keys are rejected and loaded values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Source(Model):
    """A citable source: a provision of a legal text, an official notice or, failing those, a report."""

    title: str
    kind: SourceKind
    source_class: SourceClass = Field(alias="class")
    instrument: str | None = None
    provision: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    note: str | None = None


class DatedValue(Model):
    """What every dated value carries besides its content: citations, verification and publication dates."""

    sources: list[str] = Field(min_length=1)
    verified: bool
    why_unverified: str | None = None
    announced: dt.date | None = None
    published: dt.date | None = None
    note: str | None = None
    caveat: str | None = None


class Repeal(DatedValue):
    """The end of an object's force on a date, with its citations."""

    repealed: Literal[True]


class Exception_(Model):
    """A labelled, cited exception to the rule whose value lists it: when ``when`` holds, the requirement
    or exemption does not apply, or the measure gives back the licence types it ``overrides`` (all it removes if
    none are named)."""

    id: str
    label: str
    label_local: str | None = None
    when: Condition
    sources: list[str] = Field(min_length=1)
    verified: bool
    why_unverified: str | None = None
    overrides: list[str] = []
    note: str | None = None


class References(Model):
    """The provisions an object is cited to from one date, and whether its value was checked against
    their text (a value is verified while it, or the references in force, are)."""

    sources: list[str] = Field(min_length=1)
    verified: bool
    why_unverified: str | None = None


class Timed(Model):
    """An object whose content changes over time: ``values`` keyed by effective date.

    Each value is validated as the class's ``value_model``; ``{repealed: true, sources: [...], verified: ...}``
    ends the object's force from that date.
    """

    value_model: ClassVar[type[DatedValue]] = DatedValue
    values: dict[str, Any] = Field(min_length=1)
    references: dict[str, References] = {}


class PackMeta(Model):
    """``pack.yaml``: the jurisdiction a pack covers and from when, and the language of its law (``ja``, ``ko``:
    the language its objects' ``label_local`` are in, shown first on pages in that language)."""

    id: str
    name: str
    country: str
    language: str | None = None
    authority: str
    currency: str
    coverage_from: dt.date
    standard_licence: str
    format: int | None = None
    description: str | None = None
    limitations: list[str] = []


class MembersValue(DatedValue):
    """The members of a country list from one effective date, as ISO 3166-1 alpha-2 codes."""

    members: list[str]


class CountryList(Timed):
    """A legal list of countries (e.g. Export Trade Control Order Appended Table 3)."""

    value_model: ClassVar[type[DatedValue]] = MembersValue

    label: str
    label_local: str | None = None
    description: str | None = None


class GroupValue(DatedValue):
    """A destination group's definition from one date: the condition a destination must meet."""

    when: Condition | None = None
    name: str | None = None


class DestinationGroup(Timed):
    """A destination group (e.g. Japan's Group A); the last group of a pack may be ``residual``."""

    value_model: ClassVar[type[DatedValue]] = GroupValue

    label: str
    label_local: str | None = None
    residual: bool = False


class CodeRange(Model):
    """Wassenaar-style codes a row covers: categories (first character) and series (third character)."""

    categories: list[str]
    series: list[str]


class RowValue(DatedValue):
    """What a control-list row covers from one date: code ranges, HS chapters (catch-all rows), or, with
    ``residual``, every item no other row covers (a catch-all for all goods).

    ``hs_headings`` lists HS headings or subheadings (``84.58``, ``8542``, ``8802.60``) the row takes before any
    row defined by whole chapters, except those under ``hs_except``; under an ``hs_undecided`` heading an item
    may or may not belong to the row on facts its HS code does not show (``hs_undecided_needs`` names them), so
    rules on the row are undecided for it rather than guessed."""

    covers: list[CodeRange] = []
    hs_chapters: list[str] = []
    hs_headings: list[str] = []
    hs_except: list[str] = []
    hs_undecided: list[str] = []
    hs_undecided_needs: str | None = None
    residual: bool = False
    kinds: list[Literal["goods", "technology"]] = ["goods", "technology"]


class ControlRow(Timed):
    """A row (項) of the national control list, with the official text and its regime."""

    value_model: ClassVar[type[DatedValue]] = RowValue

    label: str
    label_local: str | None = None
    regime: str | None = None
    text_local: str | None = None


class EntryValue(DatedValue):
    """The Wassenaar-style codes (and CAS numbers) an explicit entry covers from one date."""

    codes: list[str] = Field(min_length=1)
    cas: list[CasNumber] = []


class ControlEntry(Timed):
    """An explicit sub-item of a row (e.g. Japan's 7(19) resist) with its equivalents."""

    value_model: ClassVar[type[DatedValue]] = EntryValue

    row: str
    label: str
    label_local: str | None = None
    text_local: str | None = None


class RequirementValue(DatedValue):
    """When a requirement applies, from one date, and its labelled exceptions."""

    when: Condition
    exceptions: list[Exception_] = []


class Requirement(Timed):
    """A licence requirement (listed item, catch-all use or end-user, informed) and the basis it gives."""

    value_model: ClassVar[type[DatedValue]] = RequirementValue

    label: str
    label_local: str | None = None
    basis: str


class ExemptionValue(DatedValue):
    """When an exemption applies, from one date, and the labelled cases in which it does not."""

    when: Condition
    exceptions: list[Exception_] = []


class Exemption(Timed):
    """An exemption from a licence requirement (e.g. Japan's low-value exemption)."""

    value_model: ClassVar[type[DatedValue]] = ExemptionValue

    label: str
    label_local: str | None = None
    bases: list[str] = Field(min_length=1)


class DaysCase(Model):
    """A processing time that applies when a condition holds (no condition: the default)."""

    when: Condition | None = None
    days: int = Field(ge=0)


class Validity(Model):
    """How long a licence is valid."""

    months: int = Field(ge=1)
    upto: bool = False


class LicenceTypeValue(DatedValue):
    """Who may use a licence type from one date, how long review takes and how long it lasts."""

    when: Condition | None = None
    processing_days: list[DaysCase] = []
    processing_days_advisory: bool = False
    validity: Validity | None = None
    conditions: list[str] = []


class LicenceType(Timed):
    """A kind of licence (individual, general bulk …) and the bases it can authorise."""

    value_model: ClassVar[type[DatedValue]] = LicenceTypeValue

    label: str
    label_local: str | None = None
    bases: list[str] = Field(min_length=1)


class MeasureValue(DatedValue):
    """A measure's scope and effect from one date."""

    when: Condition
    removes: list[str] = []
    exceptions: list[Exception_] = []


class Measure(Timed):
    """A specific measure taking licence types away (its labelled exceptions may give some back)."""

    value_model: ClassVar[type[DatedValue]] = MeasureValue

    label: str
    label_local: str | None = None


class PartyListValue(DatedValue):
    """A published version of a restricted-party list from one date (the list itself lives in screening)."""

    version: str


class PartyList(Timed):
    """A restricted-party list the law refers to (e.g. METI's End User List), screened by ``end_user_on_list``."""

    value_model: ClassVar[type[DatedValue]] = PartyListValue
    label: str
    label_local: str | None = None
    publisher: str | None = None


class RowSet(Model):
    """A named set of control-list rows (``control_list/row_sets.yaml``): a condition may write
    ``{item_in_rows: <set id>}`` instead of repeating the list."""

    label: str
    rows: list[str] = Field(min_length=1)


class RedFlag(Timed):
    """A warning sign about a transaction that the law names (e.g. Korea's Foreign Trade Act Art. 19-3 items 1-12):
    a shipment's ``red_flags`` may hold only the ids of red flags in force on its date."""

    label: str
    label_local: str | None = None
