"""該非判定 in the browser: assess a product by answering only the questions still open, record the assessment,
approve it (a second person), and download its certificate (Japanese or English; HTML, PDF or XLSX). The form's
fields are the columns of ``classify assess --batch``; each step calls the library the CLI calls."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from clearance.api.classifying import assessor_of, certificate_response
from clearance.classify.assess import parse_request
from clearance.classify.assess_batch import PRODUCT_COLUMNS, row_request
from clearance.classify.sheets import parameters
from clearance.classify.views import assessment_view
from clearance.errors import InputError
from clearance.web.i18n import _
from clearance.web.pages import HEADERS, PREFIX, CheckedForm, SignedIn, redirect, render, store_of, text

router = APIRouter(prefix=PREFIX)
#: The form's product fields (the batch columns) besides the parameters of the vocabulary.
FIELDS = (*PRODUCT_COLUMNS, "composition", "date")


def _fields(form: Any) -> dict[str, str]:
    names = (*FIELDS, *parameters().parameters)
    return {name: text(form, name) for name in names if text(form, name)}


def _page(request: Request, fields: dict[str, str], status: int = 200, **context: Any) -> Response:
    vocabulary = parameters().parameters
    return render(request, "classify.html", status, page="classify", fields=fields, vocabulary=vocabulary, **context)


@router.get("/classify")
def classify_form(request: Request, user: SignedIn) -> Response:
    """The product form."""
    return _page(request, {"kind": "goods", "date": store_of(request).db.clock().date().isoformat()})


@router.post("/classify")
def classify(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Assess the product (as ``classify assess``); with ``action=record`` also record it for approval."""
    fields = _fields(form)
    worker = assessor_of(request)
    try:
        data = row_request(fields, "jp", store_of(request).db.clock().date(), parameters().parameters)
        assessed = parse_request(data)
        view = assessment_view(worker.assess(assessed))
    except InputError as exc:
        return _page(request, fields, 422, error={"field": exc.field, "message": exc.message})
    if text(form, "action") == "record":
        user.require("analyst")
        part = fields.get("part_number")
        if not part:
            error = {"field": "part_number", "message": _("required to record the classification")}
            return _page(request, fields, 422, error=error, assessment=view)
        stored = store_of(request).classifications.record(assessed.model_dump(mode="json"), view, part, user.key.actor)
        return redirect(request, f"{PREFIX}/classifications/{stored.id}")
    return _page(request, fields, assessment=view)


ClassificationId = Annotated[str, Path(pattern=r"^[A-Z0-9-]{1,32}$")]


@router.get("/classifications/{cid}")
def classification(request: Request, user: SignedIn, cid: ClassificationId) -> Response:
    """A recorded classification: its assessment, who classified and approved it, and its certificates."""
    stored = store_of(request).classifications.get(cid)
    return render(
        request,
        "classification.html",
        page="classify",
        stored=stored.signatures(),
        assessment=stored.assessment,
        can_approve=user.can("officer") and not stored.approved and stored.classified_by != user.key.actor,
    )


@router.post("/classifications/{cid}/approve")
def approve(request: Request, user: SignedIn, form: CheckedForm, cid: ClassificationId) -> Response:
    """Approve it (an officer other than who classified it; a decided classification only)."""
    user.require("officer")
    store_of(request).classifications.approve(cid, user.key.actor)
    return redirect(request, f"{PREFIX}/classifications/{cid}")


@router.get("/classifications/{cid}/certificate")
def certificate(
    request: Request,
    user: SignedIn,
    cid: ClassificationId,
    lang: Annotated[Literal["ja", "en"], Query()] = "ja",
    format: Annotated[Literal["html", "pdf", "xlsx"], Query()] = "html",
) -> Response:
    """The certificate (該非判定書) in ``lang`` as ``format`` (PDF printed by headless Chromium)."""
    response = certificate_response(store_of(request).classifications.get(cid), lang, format)
    response.headers.update(HEADERS)
    return response
