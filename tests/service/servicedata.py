"""Data shared by the service tests: the sample shipments, a shipment and licence terms that cover it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def shipments() -> list[dict[str, Any]]:
    """The sample shipments of examples/."""
    lines = (ROOT / "examples" / "shipments.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


HF_KR: dict[str, Any] = {
    "ref": "SO-1",
    "regime": "jp",
    "date": "2019-06-03",
    "destination": "KR",
    "item": {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods", "value": 8000000, "currency": "JPY"},
    "end_use": "civil",
    "end_user": {"name": "Example Co., Ltd.", "country": "KR"},
}


def terms(**changes: Any) -> dict[str, Any]:
    """Licence terms covering :data:`HF_KR` (an individual licence, 10M JPY and 1000 kg), with changes."""
    base: dict[str, Any] = {
        "regime": "jp",
        "licence_type": "individual",
        "number": "METI-2019-0001",
        "authority": "METI",
        "holder": "Exporter KK",
        "valid_from": "2019-01-01",
        "valid_to": "2019-12-31",
        "destinations": ["KR"],
        "control_entries": ["1C350"],
        "counterparties": ["Example Co. Ltd"],
        "value_limit": "10000000",
        "currency": "JPY",
        "quantity_limit": "1000",
        "unit": "kg",
    }
    base.update(changes)
    return base
