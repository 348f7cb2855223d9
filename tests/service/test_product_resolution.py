"""One resolution of a shipment: a ``{"product": PART}`` item is resolved against the server's catalogue the same
way by the API (single and batch), the web check form and licence drawdowns, as the CLI does with --catalogue;
an unknown part, or a product sent to a server without a catalogue, is a 422 naming ``item.product``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apiutil import Service, service
from servicedata import ROOT

from support import run_cli

CATALOGUE = str(ROOT / "examples" / "catalogue.csv")
#: The shipment of issue 11: anhydrous HF to Korea on the day the three items left the bulk licences.
HF_PRODUCT: dict[str, Any] = {
    "ref": "SO-7001",
    "regime": "jp",
    "date": "2019-07-10",
    "destination": "KR",
    "item": {"product": "SMC-HF-AH01", "kind": "goods", "value": 8000000, "currency": "JPY"},
    "end_use": "civil",
    "end_user": {"name": "Hanbit Semiconductor Co. Ltd.", "country": "KR"},
}


@pytest.fixture
def svc(sqlite_url: str) -> Iterator[Service]:
    with service(sqlite_url, catalogue=CATALOGUE) as running:
        yield running


@pytest.fixture
def bare(sqlite_url: str) -> Iterator[Service]:
    with service(sqlite_url) as running:
        yield running


def _post(svc: Service, path: str, body: Any, role: str = "officer") -> Any:
    return svc.client.post(path, json=body, headers=svc.headers(role))


def _cli(shipment: dict[str, Any]) -> dict[str, Any]:
    result = run_cli("determine", "--catalogue", CATALOGUE, "--json", "-", stdin=json.dumps(shipment))
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_the_api_resolves_a_product_as_the_cli_does(svc: Service) -> None:
    answer = _post(svc, "/determinations", HF_PRODUCT).json()["determination"]
    assert answer["licence_required"] is True and answer["basis"] == ["listed"]
    assert answer["control_entry"]["code"] == "1C350.d.15" and answer["control_entry"]["product"] == "SMC-HF-AH01"
    assert {k: v for k, v in answer.items() if k != "steps"} == {
        k: v for k, v in _cli(HF_PRODUCT).items() if k != "steps"
    }
    without_kind = {**HF_PRODUCT, "item": {"product": "SMC-HF-AH01"}}  # the catalogue knows the kind
    assert _post(svc, "/determinations", without_kind).json()["determination"]["licence_required"] is True


@pytest.mark.parametrize(
    ("item", "field", "words"),
    [
        ({"product": "NO-SUCH-PART"}, "item.product", "unknown product 'NO-SUCH-PART'"),
        ({"product": "SMC-HF-AH01", "control_code": "3C002.a.2"}, "item.control_code", "conflicts with the catalogue"),
        ({"control_code": "1C350", "kind": "goods", "classified": {"status": "not_listed"}}, "item.classified", ""),
    ],
)
def test_a_product_that_does_not_resolve_is_refused(svc: Service, item: dict[str, Any], field: str, words: str) -> None:
    answer = _post(svc, "/determinations", {**HF_PRODUCT, "item": item})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == field and words in answer.json()["detail"]
    assert svc.client.get("/audit?kind=determination", headers=svc.headers("viewer")).json()["items"] == []


def test_without_a_catalogue_a_product_is_refused_not_taken_as_unlisted(bare: Service) -> None:
    answer = _post(bare, "/determinations", HF_PRODUCT)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "item.product"
    assert "no product catalogue" in answer.json()["detail"]
    batch = _post(bare, "/determinations/batch", {"shipments": [HF_PRODUCT]}).json()["results"]
    assert batch[0]["field"] == "item.product"


def test_the_batch_route_resolves_with_the_servers_catalogue(svc: Service) -> None:
    lines = [HF_PRODUCT, {**HF_PRODUCT, "item": {"product": "NO-SUCH-PART"}}]
    results = _post(svc, "/determinations/batch", {"shipments": lines}).json()["results"]
    assert results[0]["determination"]["control_entry"]["product"] == "SMC-HF-AH01"
    assert results[0]["determination"]["licence_required"] is True
    assert results[1] | {"message": ""} == {"position": 1, "field": "item.product", "value": None, "message": ""}
    assert "NO-SUCH-PART" in results[1]["message"]


def test_a_drawdown_draws_the_value_of_the_resolved_shipment(svc: Service) -> None:
    terms = json.loads((ROOT / "examples" / "licences.jsonl").read_text(encoding="utf-8").splitlines()[0])
    licence = _post(svc, "/licences", terms).json()
    path = f"/licences/{licence['id']}/drawdowns"
    drawn = _post(svc, path, {"shipment": HF_PRODUCT, "quantity": "2", "unit": "cylinder", "key": "INV-7001"})
    assert drawn.status_code == 201, drawn.json()
    assert drawn.json()["drawdown"]["value"] == "8000000" and drawn.json()["licence"]["value_used"] == "8000000"
    unknown = _post(svc, path, {"shipment": {**HF_PRODUCT, "item": {"product": "NOPE"}}, "quantity": "1"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "shipment.item.product"


def test_a_recorded_product_determination_replays(svc: Service) -> None:
    seq = _post(svc, "/determinations", HF_PRODUCT).json()["id"]
    record = svc.client.get(f"/audit/{seq}", headers=svc.headers("viewer")).json()
    assert record["inputs"]["item"]["classified"]["classified_by"].startswith("A. Tanaka")
    replay = svc.client.get(f"/audit/{seq}/replay", headers=svc.headers("analyst")).json()
    assert replay["same"] is True, replay["differences"]


def test_the_web_check_form_resolves_as_the_api_does(svc: Service) -> None:
    page = svc.client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    svc.client.post("/ui/login", data={"csrf": token.group(1), "api_key": svc.tokens["analyst"], "next": "/ui/check"})
    form = svc.client.get("/ui/check")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf and "SMC-HF-AH01" in form.text
    fields = {"regime": "jp", "date": "2019-07-10", "destination": "KR", "product": "SMC-HF-AH01", "value": "8000000"}
    checked = svc.client.post(
        "/ui/check", data={"csrf": csrf.group(1), **fields, "currency": "JPY", "end_use": "civil"}
    )
    assert checked.status_code == 200, checked.text
    records = svc.client.get("/audit?kind=determination", headers=svc.headers("viewer")).json()["items"]
    recorded = records[-1]["outputs"]["determination"]
    api = _post(svc, "/determinations", {k: v for k, v in HF_PRODUCT.items() if k not in ("ref", "end_user")})
    same = ("licence_required", "basis", "control_entry", "licence_options")
    assert {k: recorded[k] for k in same} == {k: api.json()["determination"][k] for k in same}


def test_a_server_whose_catalogue_does_not_read_does_not_start(tmp_path: Path) -> None:
    result = run_cli("serve", "--catalogue", str(tmp_path / "none.csv"), "--database", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: catalogue:") and "no such file" in result.stderr
