"""Classifications (該非判定): assess a product against the parameter sheets, record it, approve it (four eyes),
and fetch its certificate. The JSON twin of ``clearance classify assess|approve|certificate`` and of the
``/ui/classify`` pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query, Request
from fastapi.responses import Response

from clearance.api.auth import Analyst, Officer, StoreDep, Viewer
from clearance.api.classifying import assessor_of, certificate_response
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ProblemOut
from clearance.classify.assess import parse_request
from clearance.classify.views import assessment_view
from clearance.errors import InputError
from clearance.store import StoredClassification

router = api_router(prefix="/classifications", tags=["classifications"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ProblemOut, "description": "Bad input: the error names the field."}
}
_STORED: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    403: {"model": ProblemOut, "description": "The classifier cannot approve their own classification."},
    404: {"model": ProblemOut},
    409: {"model": ProblemOut, "description": "Already approved, or undecided."},
}
ClassificationId = Annotated[str, Path(pattern=r"^[A-Z0-9-]{1,32}$")]


def _stored(stored: StoredClassification) -> dict[str, Any]:
    return {
        **stored.signatures(),
        "verdict": stored.verdict,
        "entry": stored.entry,
        "catch_all": stored.catch_all,
        "assessment": stored.assessment,
    }


@router.post("/assess", responses=_ERRORS)
def assess(body: Annotated[dict[str, Any], Body()], request: Request, _key: Viewer) -> Response:
    """Assess a product (``{"regime", "date", "product"}``): ``verdict``, ``entries`` with their tests and
    citations, ``catch_all``, ``questions`` and ``data_version`` (the contract of ``classify assess --json``)."""
    return json_response(assessment_view(assessor_of(request).assess(parse_request(body))))


@router.post("", status_code=201, responses=_ERRORS)
def record(body: Annotated[dict[str, Any], Body()], request: Request, store: StoreDep, key: Analyst) -> Response:
    """Assess and record a product as a draft classification (``part_number`` beside the request)."""
    part = body.get("part_number")
    if not isinstance(part, str) or not part.strip():
        raise InputError("part_number", "required: the part number the classification is for")
    request_data = {k: v for k, v in body.items() if k != "part_number"}
    parsed = parse_request(request_data)
    view = assessment_view(assessor_of(request).assess(parsed))
    stored = store.classifications.record(parsed.model_dump(mode="json"), view, part.strip(), key.actor)
    return json_response(_stored(stored), 201)


@router.get("/{cid}", responses=_STORED)
def get(cid: ClassificationId, store: StoreDep, _key: Viewer) -> Response:
    """A recorded classification with its assessment."""
    return json_response(_stored(store.classifications.get(cid)))


@router.post("/{cid}/approve", responses=_STORED)
def approve(cid: ClassificationId, store: StoreDep, key: Officer) -> Response:
    """Approve a decided classification (an officer other than who classified it)."""
    return json_response(_stored(store.classifications.approve(cid, key.actor)))


@router.get("/{cid}/certificate", responses=_STORED)
def certificate(
    cid: ClassificationId,
    store: StoreDep,
    _key: Viewer,
    lang: Annotated[Literal["ja", "en"], Query()] = "ja",
    format: Annotated[Literal["html", "pdf", "xlsx"], Query()] = "html",
) -> Response:
    """The certificate (該非判定書) in ``lang`` as HTML, PDF (printed by headless Chromium) or XLSX."""
    return certificate_response(store.classifications.get(cid), lang, format)
