"""What the classification routes and the 該非判定 web pages share: the app's assessor, a recorded classification's
signatures and its certificate as a download."""

from __future__ import annotations

from typing import Literal

from fastapi import Request
from fastapi.responses import Response

from clearance.classify.assess import Assessor, assessor
from clearance.classify.certificate import certificate_html, certificate_xlsx, html_to_pdf
from clearance.errors import ClearanceError, InputError
from clearance.store import StoredClassification

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


def certificate_response(stored: StoredClassification, lang: Literal["ja", "en"], fmt: str) -> Response:
    """The certificate as a download (HTML inline)."""
    record = stored.signatures()
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
