"""Errors on web pages: the API's error table decides the status; pages get HTML (and sign-in redirects), the
JSON API keeps its JSON handlers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearance.api.errors import status_of, validation_error
from clearance.errors import AuthenticationError, ClearanceError, InputError, StoreError
from clearance.web.i18n import N_
from clearance.web.pages import PREFIX, SignInRequired, render, session_of, sessions_of
from clearance.web.session import Session

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
#: The titles of the error pages, by HTTP status (translated on the page); others use the status's phrase.
TITLES = {
    400: N_("Bad request"),
    401: N_("Sign-in needed"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Conflict"),
    413: N_("Too large"),
    422: N_("The input cannot be used"),
    429: N_("Too many requests"),
    500: N_("Server error"),
    503: N_("Not available just now"),
}


def is_page(request: Request) -> bool:
    """Whether the request is for a web page (rather than the JSON API)."""
    path = request.url.path
    return path == "/" or path == PREFIX or path.startswith(PREFIX + "/")


def sign_in(request: Request) -> Response:
    """A redirect to the sign-in page that comes back here afterwards (GET pages only)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = f"{PREFIX}/login" + (f"?next={quote(target)}" if request.method == "GET" else "")
    response = RedirectResponse(url, status_code=303)
    sessions_of(request).store(response, session_of(request), request)
    return response


def error_page(request: Request, status: int, message: str, field: str | None = None) -> Response:
    """The error page: what went wrong, and for bad input the field."""
    title = TITLES.get(status) or HTTPStatus(status).phrase
    return render(request, "error.html", status, title=title, status=status, message=message, field=field)


def install(app: FastAPI) -> None:
    """Route errors on pages to HTML; leave the API's JSON handlers for everything else."""
    previous: dict[type[Exception], Handler] = {
        cls: app.exception_handlers[cls] for cls in (ClearanceError, RequestValidationError, StarletteHTTPException)
    }

    async def delegate(request: Request, exc: Exception, cls: type[Exception]) -> Response:
        found = previous[cls](request, exc)
        return found if isinstance(found, Response) else await found

    async def clearance_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ClearanceError)
        if not is_page(request):
            return await delegate(request, exc, ClearanceError)
        if isinstance(exc, AuthenticationError):
            return sign_in(request)
        if isinstance(exc, StoreError) and getattr(request.state, "session", None) is None:
            # the session could not be read either: show the page without one, and leave the cookie alone
            request.state.session = Session("")
        if isinstance(exc, InputError):
            return error_page(request, status_of(exc), exc.message, exc.field)
        return error_page(request, status_of(exc), str(exc))

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not is_page(request):
            return await delegate(request, exc, RequestValidationError)
        error = validation_error(list(exc.errors()))
        return error_page(request, 422, error.message, error.field)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not is_page(request):
            return await delegate(request, exc, StarletteHTTPException)
        return error_page(request, exc.status_code, str(exc.detail))

    async def signed_out(request: Request, _exc: Exception) -> Response:
        return sign_in(request)

    app.add_exception_handler(ClearanceError, clearance_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(SignInRequired, signed_out)
