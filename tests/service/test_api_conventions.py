"""What an integrator expects of the API: RFC 9457 problem details naming every bad field, 400/415 for bodies
that are not JSON, unknown parameters refused, readable operation ids and every error documented, ``Location`` on
201, a recorded determination readable again, ETag/If-Match on licence updates, and yente's ``/match/{dataset}``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from apiutil import Service, service
from servicedata import HF_KR, terms

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with service(f"sqlite:///{tmp_path_factory.mktemp('conventions') / 'api.db'}") as svc:
        yield svc


def _post(svc: Service, path: str, body: Any, role: str = "admin", **headers: str) -> Any:
    return svc.client.post(path, json=body, headers={**svc.headers(role), **headers})


def test_a_bad_shipment_is_a_problem_naming_every_bad_field(svc: Service) -> None:
    answer = _post(svc, "/determinations", {**HF_KR, "destination": "XX", "date": "someday", "colour": "red"})
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert set(problem) >= {"type", "title", "status", "detail", "errors"} and problem["status"] == 422
    fields = {e["field"]: e for e in problem["errors"]}
    assert set(fields) == {"date", "destination", "colour"}
    assert fields["destination"]["value"] == "XX" and fields["colour"]["message"] == "unknown field"


def test_bodies_that_are_not_json(svc: Service) -> None:
    headers = svc.headers("analyst")
    json_type = {**headers, "Content-Type": "application/json"}
    broken = svc.client.post("/determinations", content=b'{"regime": ', headers=json_type)
    assert broken.status_code == 400 and broken.headers["content-type"] == PROBLEM
    assert broken.json()["errors"][0]["field"] == "input" and "not valid JSON" in broken.json()["detail"]
    form = svc.client.post("/determinations", data={"regime": "jp"}, headers=headers)  # what `curl -d` sends
    assert form.status_code == 415 and "Content-Type: application/json" in form.json()["detail"]


def test_unknown_query_parameters_are_refused(svc: Service) -> None:
    answer = svc.client.get("/licences?limt=5", headers=svc.headers("viewer"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "limt"
    assert "limit" in answer.json()["detail"]


def test_a_query_parameter_given_twice_is_refused(svc: Service) -> None:
    """Which of two values was meant is not for the server to guess (it would take the last one)."""
    answer = svc.client.get("/screening/hits?party_key=a&party_key=b", headers=svc.headers("viewer"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "party_key"
    assert "more than once" in answer.json()["detail"]
    once = svc.client.get("/screening/hits?party_key=a&limit=5", headers=svc.headers("viewer"))
    assert once.status_code == 200
    schema = svc.client.get("/openapi.json").json()
    queries = [p for op in schema["paths"].values() for o in op.values() for p in o.get("parameters", [])]
    assert [p["name"] for p in queries if p["in"] == "query" and "array" in str(p["schema"])] == []  # none takes a list


def test_a_recorded_determination_is_named_and_readable(svc: Service) -> None:
    created = _post(svc, "/determinations", HF_KR, "analyst")
    assert created.status_code == 201
    location = created.headers["location"]
    assert location == f"/determinations/{created.json()['id']}"
    again = svc.client.get(location, headers=svc.headers("viewer"))
    assert again.status_code == 200 and again.json()["determination"] == created.json()["determination"]
    repeat = _post(svc, "/determinations", HF_KR, "analyst", **{"Idempotency-Key": "c-1"})
    assert repeat.status_code == 201
    repeated = _post(svc, "/determinations", HF_KR, "analyst", **{"Idempotency-Key": "c-1"})
    assert (repeated.status_code, repeated.content) == (201, repeat.content)
    assert repeated.headers["location"] == repeat.headers["location"]
    licence = _post(svc, "/licences", terms(number="C-LOC"), "officer")
    assert licence.headers["location"] == f"/licences/{licence.json()['id']}"
    not_one = svc.client.get(f"/determinations/{licence.json()['id'] + 10_000}", headers=svc.headers("viewer"))
    assert not_one.status_code == 404 and not_one.headers["content-type"] == PROBLEM


def test_licence_updates_are_conditional_on_the_etag(svc: Service) -> None:
    created = _post(svc, "/licences", terms(number="C-ETAG"), "officer")
    path = f"/licences/{created.json()['id']}"
    read = svc.client.get(path, headers=svc.headers("viewer"))
    etag = read.headers["etag"]
    assert etag == created.headers["etag"] and etag.startswith('"')
    change = {"conditions": ["no re-export"], "reason": "review"}
    amended = svc.client.patch(path, json=change, headers={**svc.headers("officer"), "If-Match": etag})
    assert amended.status_code == 200 and amended.headers["etag"] != etag
    stale = svc.client.patch(path, json=change, headers={**svc.headers("officer"), "If-Match": etag})
    assert stale.status_code == 412 and stale.headers["content-type"] == PROBLEM
    assert "ETag" in stale.json()["detail"]
    unconditional = svc.client.patch(path, json={**change, "reason": "again"}, headers=svc.headers("officer"))
    assert unconditional.status_code == 200


def test_match_takes_yentes_dataset_and_algorithm(svc: Service) -> None:
    body = {"queries": {"q": {"schema": "Organization", "properties": {"name": ["Beihang University"]}}}}
    every = _post(svc, "/match", body, "analyst").json()
    scoped = _post(svc, "/match/jp-meti-eul", body, "analyst").json()
    default = _post(svc, "/match/default?algorithm=clearance-name-v1", body, "analyst").json()
    assert every["responses"] == default["responses"] == scoped["responses"]
    assert _post(svc, "/match/no-such-list", body, "analyst").status_code == 404
    unknown = _post(svc, "/match?algorithm=logic-v1", body, "analyst")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "algorithm"


def test_parties_take_countries_as_a_list_like_match(svc: Service) -> None:
    listed = _post(svc, "/screening/parties", {"name": "Beihang University", "country": ["CN", "HK"]}, "analyst")
    assert listed.status_code == 200 and listed.json()["party"]["countries"] == ["cn", "hk"]
    single = _post(svc, "/screening/parties", {"name": "Beihang University", "country": "CN"}, "analyst")
    assert single.status_code == 200 and single.json()["party"]["countries"] == ["cn"]


def test_the_openapi_schema_reads_well_and_documents_every_error(svc: Service) -> None:
    spec = svc.client.get("/openapi.json").json()
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids)), "operation ids are unique"
    assert {"determine", "determine_batch", "match_all", "match_dataset", "impact", "get_determination"} <= set(ids)
    assert not [i for i in ids if i.endswith(("_get", "_post", "_patch", "_delete"))], "no generated suffixes"
    for path, method, op in operations:
        responses = op["responses"]
        errors = {code for code in responses if code[0] in "45"}
        for code in errors:
            assert list(responses[code]["content"]) == [PROBLEM], (path, method, code)
        if op.get("x-required-role", "none") != "none":
            assert {"401", "403"} <= errors, (path, method)
        if "requestBody" in op:
            assert {"400", "413", "415", "422"} <= errors, (path, method)
    assert "HTTPValidationError" not in spec["components"]["schemas"]


@pytest.mark.parametrize(
    ("model", "domain"),
    [
        ("DeterminationOut", "clearance.engine.result:Determination"),
        ("StepOut", "clearance.engine.result:Step"),
        ("LicenceOptionOut", "clearance.engine.result:LicenceOption"),
        ("UndecidedOut", "clearance.engine.result:Undecided"),
        ("KeyOut", "clearance.store.keys:ApiKey"),
    ],
)
def test_response_models_say_what_the_domain_says(model: str, domain: str) -> None:
    """A response model names the fields of the dataclass it documents, in order: none added, dropped or renamed."""
    import dataclasses
    import importlib

    from clearance.api import schemas

    module, name = domain.split(":")
    fields = [f.name for f in dataclasses.fields(getattr(importlib.import_module(module), name))]
    assert list(getattr(schemas, model).model_fields) == fields


def test_a_problem_echoes_an_integer_beyond_64_bits(svc: Service) -> None:
    """orjson refuses such integers; the problem still answers 422 with the value as sent."""
    body = {"aliases": False, "name": "0", "party_id": [-9223372036854775809]}
    answer = svc.client.post("/screening/parties", json=body, headers=svc.headers("admin"))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert any(e["field"] == "aliases" for e in answer.json()["errors"])
