"""Reading the publishers' XML files safely: no DTDs or entities (an entity bomb is refused, not expanded), and
element names without their namespace."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from clearance.errors import ListFormatError

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


def read_xml(path: Path) -> ET.Element:
    """The root element of an XML list file, every tag stripped of its ``{namespace}``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read: {exc.strerror}") from exc
    if _DOCTYPE.search(data):
        raise ListFormatError(str(path), None, "XML with a DOCTYPE or entity declarations is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ListFormatError(str(path), exc.position[0], f"invalid XML: {exc}") from exc
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def text(element: ET.Element | None, path: str) -> str:
    """The stripped text at ``path`` under ``element`` ('' when absent)."""
    found = None if element is None else element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def texts(element: ET.Element, path: str) -> list[str]:
    """The stripped, non-empty texts of every element at ``path``."""
    return [" ".join(e.text.split()) for e in element.iterfind(path) if e.text and e.text.strip()]
