"""Signing in with an API key (or, in demo mode, as a demo account) and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from clearance.errors import AuthenticationError
from clearance.store import ApiKey
from clearance.store.keys import check_role
from clearance.web import i18n
from clearance.web.pages import (
    PREFIX,
    CheckedForm,
    SessionDep,
    redirect,
    render,
    session_of,
    sessions_of,
    store_of,
    text,
)

router = APIRouter(prefix=PREFIX)
#: Demo keys are named ``demo-<role>`` (see :mod:`clearance.demo`).
DEMO_PREFIX = "demo-"


def safe_next(target: str) -> str:
    """Where to go after signing in: a page of this site only (never another host)."""
    if target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return f"{PREFIX}/"


def demo_keys(request: Request) -> list[ApiKey]:
    """The live demo keys (only offered when the server runs with ``--demo``)."""
    if not request.app.state.settings.demo:
        return []
    return [k for k in store_of(request).keys.list(include_revoked=False) if k.name.startswith(DEMO_PREFIX)]


def _login_page(request: Request, target: str, error: str | None = None, status: int = 200) -> Response:
    return render(
        request, "login.html", status, next=safe_next(target), error=error, demo_keys=demo_keys(request), page="login"
    )


@router.get("/login")
def login_form(request: Request, session: SessionDep, next: Annotated[str, Query(max_length=500)] = "") -> Response:
    """The sign-in page."""
    if session.key is not None:
        return redirect(request, safe_next(next))
    return _login_page(request, next)


@router.post("/language")
def choose_language(request: Request, form: CheckedForm) -> Response:
    """Show the pages in the language chosen and go back to the page it was chosen on: remembered on this browser
    for a year, and with the signed-in user's API key (their language on any browser)."""
    language = text(form, "lang")
    response = redirect(request, safe_next(text(form, "next")))
    if language in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, language, max_age=365 * 86400, httponly=True, samesite="lax", path="/")
        key = session_of(request).key
        if key is not None:
            store_of(request).keys.choose_language(key.key_id, language)
    return response


@router.post("/login")
def login(request: Request, form: CheckedForm) -> Response:
    """Sign in with an API key (or a demo account) and go on to the page asked for."""
    target = text(form, "next")
    demo_role = text(form, "demo_role")
    key: ApiKey | None
    try:
        if demo_role:
            role = check_role(demo_role)
            key = next((k for k in demo_keys(request) if k.name == f"{DEMO_PREFIX}{role}"), None)
            if key is None:
                raise AuthenticationError(i18n._("there is no demo account for that role on this server"))
        else:
            token = text(form, "api_key")
            if not token:
                raise AuthenticationError(i18n._("enter your API key (clr_…)"))
            key = request.app.state.authenticate(token)
    except AuthenticationError as exc:
        return _login_page(request, target, str(exc), 401)
    request.state.session = sessions_of(request).sign_in(session_of(request), key)
    return redirect(request, safe_next(target))


@router.post("/logout")
def logout(request: Request, _form: CheckedForm) -> Response:
    """Sign out: the session is deleted on the server (its cookie, even copied, no longer works) and replaced by
    an anonymous one."""
    request.state.session = sessions_of(request).sign_out(session_of(request))
    return redirect(request, f"{PREFIX}/login")
