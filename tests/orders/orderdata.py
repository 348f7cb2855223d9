"""Order lines, small screening lists and licences for the order tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from clearance.licences import Licence, LicenceTerms
from clearance.orders import OrderLine
from clearance.screening.hook import Hit, hits_in
from clearance.screening.index import ScreeningIndex
from clearance.screening.model import ListVersion, Party

HANBIT = {"name": "Hanbit Semiconductor Co. Ltd.", "country": "KR"}


def line(**changes: Any) -> OrderLine:
    """Anhydrous HF to Hanbit in Korea on 2019-08-05 (a licence is needed since 2019-07-04), changed as given."""
    data: dict[str, Any] = {
        "ref": "SO-19-0604/1",
        "regime": "jp",
        "date": "2019-08-05",
        "destination": "KR",
        "item": {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods", "value": 7200000, "currency": "JPY"},
        "end_use": "civil",
        "end_user": HANBIT,
    }
    data.update(changes)
    return OrderLine.model_validate(data)


#: The JSON form of :func:`line`.
LINE: dict[str, Any] = {
    "ref": "SO-19-0604/1",
    "regime": "jp",
    "date": "2019-08-05",
    "destination": "KR",
    "item": {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods", "value": 7200000, "currency": "JPY"},
    "end_use": "civil",
    "end_user": HANBIT,
}


def _list(list_id: str, parties: Sequence[Party]) -> ListVersion:
    return ListVersion(list_id, list_id, dt.date(2026, 1, 1), "test", tuple(parties))


LISTS = (
    _list(
        "us-csl",
        [
            Party.build(
                "us-csl",
                "SDN-16828",
                "LegalEntity",
                ["STROYGAZMONTAZH"],
                aliases=["SGM"],
                countries=["ru"],
                programs=["Specially Designated Nationals (SDN) - Treasury Department"],
            ),
            Party.build(
                "us-csl",
                "EL-1",
                "LegalEntity",
                ["Northern Aero Propulsion Institute"],
                countries=["cn"],
                programs=["Entity List (EL) - Bureau of Industry and Security"],
            ),
        ],
    ),
    _list(
        "jp-mof-asset-freeze",
        [Party.build("jp-mof-asset-freeze", "9-1", "LegalEntity", ["Korea Ryonbong General Corporation"])],
    ),
    _list(
        "jp-meti-eul",
        [Party.build("jp-meti-eul", "77", "Organization", ["Harbin Orient Precision Works"], countries=["cn"])],
    ),
)
INDEX = ScreeningIndex.build(LISTS)


class _Screener:
    """The determination's catch-all screener over the test lists."""

    def covers(self, list_ids: frozenset[str]) -> frozenset[str]:
        return list_ids & INDEX.versions.keys()

    def __call__(self, name: str, country: str | None, list_ids: frozenset[str]) -> list[Hit]:
        return [h for h in hits_in(INDEX, name, country) if h.list_id in list_ids]


screener = _Screener()


def licence(**changes: Any) -> Licence:
    """An individual licence for 1C350 to Hanbit, 2019-07-10 to 2020-01-09, 40 M JPY, changed as given."""
    used = {k: changes.pop(k) for k in ("value_used", "quantity_used", "status") if k in changes}
    terms: dict[str, Any] = {
        "regime": "jp",
        "licence_type": "individual",
        "number": "METI-2019-IL-0412",
        "authority": "METI",
        "holder": "Example Exporter KK",
        "valid_from": "2019-07-10",
        "valid_to": "2020-01-09",
        "destinations": ["KR"],
        "control_entries": ["1C350"],
        "counterparties": [HANBIT["name"]],
        "value_limit": "40000000",
        "currency": "JPY",
        "quantity_limit": "300",
        "unit": "cylinder",
    }
    terms.update(changes)
    return Licence(id=1, terms=LicenceTerms.model_validate(terms), **used)
