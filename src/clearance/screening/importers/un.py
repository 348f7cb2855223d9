"""UN Security Council Consolidated List, the XML the UN publishes (``<CONSOLIDATED_LIST dateGenerated=…>`` with
``<INDIVIDUALS>`` and ``<ENTITIES>``): names (and the name in its original script), aliases, nationalities and
address countries, document numbers, the sanctions regime and the day listed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.screening.importers.common import UniqueIds, country_code, parse_date
from clearance.screening.importers.xmlfile import read_xml, text, texts
from clearance.screening.model import ListVersion, Party

LIST_ID = "un-sc-consolidated"
TITLE = "UN Security Council Consolidated List"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _party(path: Path, element: ET.Element, where: str, person: bool, ids: UniqueIds) -> Party:
    kind = "INDIVIDUAL" if person else "ENTITY"
    name = " ".join(p for p in (text(element, part) for part in NAME_PARTS) if p)
    if not name:
        raise ListFormatError(str(path), where, "no FIRST_NAME")
    reference = text(element, "REFERENCE_NUMBER") or text(element, "DATAID")
    if not reference:
        raise ListFormatError(str(path), where, "no REFERENCE_NUMBER or DATAID")
    countries = [
        code
        for value in texts(element, "NATIONALITY/VALUE") + texts(element, f"{kind}_ADDRESS/COUNTRY")
        if (code := country_code(value))
    ]
    return Party.build(
        LIST_ID,
        ids.claim(reference, f"{path.name}:{where}"),
        "Person" if person else "Organization",
        [name],
        aliases=texts(element, "NAME_ORIGINAL_SCRIPT") + texts(element, f"{kind}_ALIAS/ALIAS_NAME"),
        countries=countries,
        identifiers=texts(element, f"{kind}_DOCUMENT/NUMBER"),
        programs=texts(element, "UN_LIST_TYPE"),
        notes=texts(element, "COMMENTS1"),
        source_row=f"{path.name}:{where}",
        listed_on=parse_date(text(element, "LISTED_ON"), str(path), where, "LISTED_ON"),
    )


def read(path: Path, list_date: dt.date | None = None) -> ListVersion:
    """Every individual and entity; the id is the UN reference number (``KPi.033``)."""
    root = read_xml(path)
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFormatError(str(path), None, f"root element <{root.tag}>, expected <CONSOLIDATED_LIST> (UN XML)")
    ids = UniqueIds()
    parties = [
        _party(path, element, f"{tag}[{number}]", tag == "INDIVIDUAL", ids)
        for group, tag in (("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY"))
        for number, element in enumerate(root.iterfind(f"{group}/{tag}"), start=1)
    ]
    if not parties:
        raise ListFormatError(str(path), None, "no INDIVIDUAL or ENTITY elements")
    generated = root.get("dateGenerated", "")
    when = list_date or parse_date(generated, str(path), "CONSOLIDATED_LIST", "dateGenerated")
    return ListVersion(LIST_ID, TITLE, when, path.name, tuple(parties), warnings=tuple(ids.warnings))
