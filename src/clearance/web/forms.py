"""Forms to the JSON the API takes: a shipment from the check form, a drawdown from the record form."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from clearance.web.pages import text

#: The check form's fields, in order (they are echoed back to refill the form).
SHIPMENT_FIELDS = (
    "ref",
    "regime",
    "date",
    "destination",
    "product",
    "control_code",
    "cas",
    "hs_code",
    "kind",
    "value",
    "currency",
    "end_user_name",
    "end_user_country",
    "end_use",
    "informed",
)


def values(form: FormData) -> dict[str, str]:
    """The check form's values as submitted."""
    return {name: text(form, name) for name in SHIPMENT_FIELDS}


def shipment_data(fields: dict[str, str]) -> dict[str, Any]:
    """The shipment JSON (the CLI's and API's contract) from the check form: a catalogue product or a control
    code with its CAS and HS codes; blank fields are left out so that the model names what is missing."""
    item: dict[str, Any] = {}
    if fields.get("product"):
        item["product"] = fields["product"]
    else:
        item["control_code"] = fields.get("control_code") or None
        item["kind"] = fields.get("kind") or "goods"
        for name in ("cas", "hs_code"):
            if fields.get(name):
                item[name] = fields[name]
    if fields.get("value"):
        item["value"] = fields["value"].replace(",", "")
        item["currency"] = (fields.get("currency") or "").upper() or None
    data: dict[str, Any] = {
        "regime": fields.get("regime", ""),
        "date": fields.get("date", ""),
        "destination": fields.get("destination", ""),
        "item": item,
        "end_use": fields.get("end_use") or "unknown",
        "informed": fields.get("informed") == "on",
    }
    if fields.get("ref"):
        data["ref"] = fields["ref"]
    if fields.get("end_user_name"):
        data["end_user"] = {"name": fields["end_user_name"], "country": fields.get("end_user_country") or None}
    return data
