"""Classifications (該非判定): assess a product against the parameter sheets, record it, approve it (four eyes),
and fetch its certificate. The JSON twin of ``clearance classify assess|approve|certificate`` and of the
``/ui/classify`` pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query, Request
from fastapi.responses import Response

from clearance.api.auth import Analyst, Officer, StoreDep, Viewer
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ProblemOut
from clearance.classify.assess import Assessor, assessor, parse_request
from clearance.classify.certificate import certificate_html, certificate_xlsx, html_to_pdf
from clearance.classify.views import assessment_view
from clearance.errors import ClearanceError, InputError
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
CONTENT = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def assessor_of(request: Request) -> Assessor:
    """The app's assessor for jp, built once (the sheets are checked against the Goods Ordinance on loading)."""
    found: Assessor | None = getattr(request.app.state, "assessor", None)
    if found is None:
        found = request.app.state.assessor = assessor(request.app.state.regulations, "jp")
    return found


def record_of(stored: StoredClassification) -> dict[str, Any]:
    """A recorded classification's identity and signatures (what the certificate prints)."""
    return {
        "id": stored.id,
        "part_number": stored.part_number,
        "classified_by": stored.classified_by,
        "classified_at": stored.classified_at,
        "approved_by": stored.approved_by,
        "approved_at": stored.approved_at,
    }


def _stored(stored: StoredClassification) -> dict[str, Any]:
    return {
        **record_of(stored),
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


def certificate_response(stored: StoredClassification, lang: Literal["ja", "en"], fmt: str) -> Response:
    """The certificate as a download (HTML inline)."""
    record = record_of(stored)
    if fmt == "xlsx":
        body = certificate_xlsx(stored.assessment, record, lang)
    else:
        html = certificate_html(stored.assessment, record, lang)
        try:
            body = html.encode("utf-8") if fmt == "html" else html_to_pdf(html)
        except ClearanceError as exc:
            raise InputError("format", str(exc)) from None
    headers = {} if fmt == "html" else {"Content-Disposition": f'attachment; filename="{stored.id}-{lang}.{fmt}"'}
    return Response(body, media_type=CONTENT[fmt], headers=headers)
