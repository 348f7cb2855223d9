"""What every page handler uses: the signed-in user, CSRF-checked forms, and rendering templates.

A handler takes ``user: SignedIn`` (or ``session: SessionDep`` before sign-in), calls the same library or API
function the JSON route calls, and returns :func:`render` of a template with that data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import orjson
from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from clearance.errors import PermissionDeniedError
from clearance.store import ApiKey, Role, Store
from clearance.web import i18n, wording
from clearance.web.i18n import N_
from clearance.web.session import Session, Sessions

PREFIX = "/ui"
HERE = Path(__file__).resolve().parent

#: The navigation: (id, path, label).
NAV = (
    ("home", "/ui/", N_("Overview")),
    ("check", "/ui/check", N_("Check a shipment")),
    ("classify", "/ui/classify", N_("Classify")),
    ("review", "/ui/review", N_("Screening review")),
    ("orders", "/ui/orders", N_("Orders")),
    ("licences", "/ui/licences", N_("Licences")),
    ("law", "/ui/timeline", N_("Regulations")),
    ("impact", "/ui/impact", N_("Impact")),
    ("audit", "/ui/audit", N_("Audit")),
)

#: The roles' names, as pages show them.
ROLE_NAMES = {"viewer": N_("viewer"), "analyst": N_("analyst"), "officer": N_("officer"), "admin": N_("admin")}

#: Sent with every page: no scripts at all, nothing from elsewhere but links, no framing.
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class SignInRequired(Exception):
    """The page needs a signed-in user: the handler redirects to the sign-in page."""


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in API key and its session."""

    key: ApiKey
    session: Session

    def can(self, role: Role) -> bool:
        """Whether the user's role includes ``role``."""
        return self.key.allows(role)

    def require(self, role: Role) -> None:
        """:class:`PermissionDeniedError` unless the user's role includes ``role``."""
        if not self.can(role):
            message = i18n._("this needs the %(role)s role; you are signed in as %(name)s (%(mine)s)")
            names = {"role": role, "mine": self.key.role}
            words = {k: i18n._(ROLE_NAMES.get(v, v)) for k, v in names.items()}
            raise PermissionDeniedError(message % {**words, "name": self.key.name})


def share(part: Any, whole: Any) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when either is missing), clipped to 0-100."""
    try:
        ratio = Decimal(str(part)) / Decimal(str(whole))
    except (InvalidOperation, ZeroDivisionError, TypeError):
        return 0
    return max(0, min(100, int(ratio * 100)))


def days_until(iso: Any, today: dt.date) -> int:
    """Days from ``today`` to an ISO date (negative once it has passed)."""
    when = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(str(iso))
    return (when - today).days


def pretty(value: Any) -> str:
    """JSON, indented, for display."""
    return orjson.dumps(value, default=str, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


def query_string(params: dict[str, Any]) -> str:
    """``?a=1&b=2`` of the non-empty parameters (empty string when none)."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        country=i18n.local_country,
        pretty=pretty,
        date=i18n.local_date,
        moment=i18n.local_moment,
        number=i18n.local_number,
        amount=i18n.local_money,
        said=wording.say,
    )
    env.globals.update(
        share=share,
        nav=NAV,
        query_string=query_string,
        days_until=days_until,
        languages=i18n.LANGUAGES,
        basis_names=i18n.BASIS_NAMES,
        warning_kinds=i18n.WARNING_KINDS,
        schema_names=i18n.SCHEMA_NAMES,
        warning_groups=i18n.warning_groups,
        audit_kinds=i18n.AUDIT_KINDS,
        order_states=i18n.ORDER_STATES,
        reason_kinds=i18n.REASON_KINDS,
        effects=i18n.EFFECTS,
        role_names=ROLE_NAMES,
    )
    env.trim_blocks = True
    env.lstrip_blocks = True
    return templates


TEMPLATES = _templates()


def sessions_of(request: Request) -> Sessions:
    """The app's session cookie codec."""
    sessions: Sessions = request.app.state.web_sessions
    return sessions


def session_of(request: Request) -> Session:
    """The request's session (read once per request)."""
    found: Session | None = getattr(request.state, "session", None)
    if found is None:
        found = request.state.session = sessions_of(request).load(request)
    return found


def store_of(request: Request) -> Store:
    """The app's store."""
    store: Store = request.app.state.store
    return store


def user_of(request: Request) -> User:
    """The signed-in user, or :class:`SignInRequired` (also once the session was signed out, expired or its key
    revoked: the session is then anonymous)."""
    session = session_of(request)
    if session.key is None:
        raise SignInRequired
    user = request.state.user = User(session.key, session)
    return user


async def form_of(request: Request) -> FormData:
    """The submitted form, once its CSRF token is checked against the session's."""
    form = await request.form()
    if not session_of(request).checks(form.get("csrf")):
        raise PermissionDeniedError(
            i18n._("this form has expired or did not come from this site: reload the page and retry")
        )
    return form


SessionDep = Annotated[Session, Depends(session_of)]
SignedIn = Annotated[User, Depends(user_of)]
CheckedForm = Annotated[FormData, Depends(form_of)]


def text(form: FormData, name: str) -> str:
    """A text field of a form, stripped ('' when absent or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A page from ``template`` with ``context``, the user, the CSRF token and the navigation."""
    session = session_of(request)
    language = language_of(request)
    i18n.activate(language)
    context.update(
        user=getattr(request.state, "user", None),
        csrf=session.csrf,
        demo=request.app.state.settings.demo,
        today=store_of(request).db.clock().date(),
        lang=language,
        packs=request.app.state.regulations,
        here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    )
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
    response.headers.update(HEADERS)
    sessions_of(request).store(response, session, request)
    return response


def language_of(request: Request) -> str:
    """The language of the pages for this request: the signed-in user's choice (remembered with their API key, on
    any browser), else the choice made on this browser (a cookie), else the browser's Accept-Language."""
    key = session_of(request).key
    chosen = (key.language if key is not None else None) or request.cookies.get(i18n.COOKIE)
    return i18n.choose(chosen, request.headers.get("accept-language"))


async def speak(request: Request) -> None:
    """Render in the request's language from the start of its handler (for words made before :func:`render`)."""
    i18n.activate(language_of(request))


def redirect(request: Request, url: str) -> Response:
    """A 303 redirect (after a POST), carrying the session cookie when it changed."""
    response = RedirectResponse(url, status_code=303)
    sessions_of(request).store(response, session_of(request), request)
    return response
