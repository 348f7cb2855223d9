"""Nothing accepted silently over HTTP: country codes (ISO 3166-1 alpha-2) wherever a country is taken, licence
regimes and types the packs define, CAS check digits, red flags the regime's pack names, real query dates, and a
byte-order mark read as the CLI reads it. Every refusal is a 422 naming the field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from apiutil import Service, service
from servicedata import HF_KR, terms


@pytest.fixture
def svc(sqlite_url: str) -> Iterator[Service]:
    with service(sqlite_url) as running:
        yield running


def _post(svc: Service, path: str, body: Any, role: str = "officer") -> Any:
    return svc.client.post(path, json=body, headers=svc.headers(role))


def _refused(answer: Any, field: str) -> str:
    assert answer.status_code == 422, answer.text
    error = answer.json()["errors"][0]
    assert error["field"] == field, error
    message: str = error["message"]
    return message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": "QQ"}, "destination"),
        ({"destination": "Korea"}, "destination"),
        ({"end_user": {"name": "Hanbit", "country": "QQ"}}, "end_user.country"),
        ({"end_user": {"name": "Hanbit", "country": "Korea"}}, "end_user.country"),
        ({"item": {**HF_KR["item"], "cas": "7664-39-4"}}, "item.cas"),
        ({"red_flags": ["unusual_route"]}, "red_flags"),
        ({"regime": "kr", "destination": "CN", "red_flags": ["looks_odd"]}, "red_flags"),
    ],
)
def test_a_shipment_is_refused_naming_the_field(svc: Service, change: dict[str, Any], field: str) -> None:
    _refused(_post(svc, "/determinations", {**HF_KR, **change}), field)
    batch = _post(svc, "/determinations/batch", {"shipments": [{**HF_KR, **change}]}).json()["results"]
    assert batch[0]["field"] == field


def test_a_lower_case_country_code_is_taken(svc: Service) -> None:
    answer = _post(svc, "/determinations", {**HF_KR, "destination": "kr", "end_user": {"name": "H", "country": "kr"}})
    assert answer.status_code == 201 and answer.json()["determination"]["destination"] == "KR"


def test_an_unknown_red_flag_names_the_known_ones(svc: Service) -> None:
    korean = {**HF_KR, "regime": "kr", "destination": "CN", "red_flags": ["odd"]}
    message = _refused(_post(svc, "/determinations", korean), "red_flags")
    assert "'odd'" in message and "unusual_route" in message and "consignee_is_forwarder" in message
    jp = _refused(_post(svc, "/determinations", {**HF_KR, "red_flags": ["unusual_route"]}), "red_flags")
    assert "none" in jp


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"regime": "us"}, "regime", "unknown regime 'us'"),
        ({"licence_type": "magic"}, "licence_type", "'magic' is not a licence type of the jp pack"),
        ({"destinations": ["KR", "QQ"]}, "destinations.1", "ISO 3166-1 alpha-2"),
        ({"destinations": ["Korea"]}, "destinations.0", "ambiguous: KR (South Korea) or KP (North Korea)"),
    ],
)
def test_a_licence_is_refused_naming_the_field(svc: Service, change: dict[str, Any], field: str, words: str) -> None:
    assert words in _refused(_post(svc, "/licences", terms(**change)), field)
    assert svc.client.get("/licences", headers=svc.headers("viewer")).json()["items"] == []


def test_licence_types_of_each_pack_are_taken(svc: Service) -> None:
    assert _post(svc, "/licences", terms(licence_type="special_general_bulk", number="SGB-1")).status_code == 201
    korean = terms(regime="kr", licence_type="individual", number="KR-1", currency="USD", destinations=["*"])
    assert _post(svc, "/licences", korean).status_code == 201


@pytest.mark.parametrize("country", ["QQ", "Korea", "Atlantis"])
def test_screening_takes_only_countries(svc: Service, country: str) -> None:
    _refused(_post(svc, "/screening/parties", {"name": "Hanbit", "country": country}, "analyst"), "country")
    query = {"queries": {"q1": {"schema": "Company", "properties": {"name": ["Hanbit"], "country": [country]}}}}
    _refused(_post(svc, "/match", query, "analyst"), "queries.q1.properties.country")


@pytest.mark.parametrize("parameter", ["since", "until"])
@pytest.mark.parametrize("value", ["2019-99-99", "2019-02-30", "yesterday", "2019-07-10T25:00"])
def test_query_dates_must_be_real(svc: Service, parameter: str, value: str) -> None:
    answer = svc.client.get(f"/audit?{parameter}={value}", headers=svc.headers("viewer"))
    assert "not an ISO date or time" in _refused(answer, parameter)


def test_query_dates_filter_in_utc(svc: Service) -> None:
    _post(svc, "/licences", terms())
    at = svc.client.get("/audit", headers=svc.headers("viewer")).json()["items"][0]["at"]
    day = at[:10]
    for query, found in (
        (f"since={day}", 1),
        (f"until={day}", 0),
        (f"since={day}T00:00:00%2B14:00", 1),  # the day began earlier east of UTC
        (f"since={at[:19]}", 1),
    ):
        items = svc.client.get(f"/audit?kind=licence.created&{query}", headers=svc.headers("viewer")).json()["items"]
        assert len(items) == found, query


def test_a_byte_order_mark_is_read_as_the_cli_reads_it(svc: Service) -> None:
    body = "\ufeff" + json.dumps(HF_KR)
    answer = svc.client.post(
        "/determinations", content=body.encode(), headers={**svc.headers("analyst"), "Content-Type": "application/json"}
    )
    assert answer.status_code == 201 and answer.json()["determination"]["licence_required"] is True


def test_the_audit_page_refuses_an_impossible_date_too(svc: Service) -> None:
    page = svc.client.get("/ui/login")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    svc.client.post("/ui/login", data={"csrf": csrf, "api_key": svc.tokens["viewer"], "next": "/ui/audit"})
    assert svc.client.get("/ui/audit?since=2019-07-10&until=").status_code == 200
    refused = svc.client.get("/ui/audit?since=2019-99-99")
    assert refused.status_code == 422 and "since" in refused.text
