"""``Idempotency-Key`` on every POST (the IETF httpapi draft's header): a request sent again with the same key
is answered as the first one was (same status, headers and body) instead of being recorded again.

A successful (2xx) answer is kept for ``Settings.idempotency_hours`` per API key; a failed request is not kept, so
it may be sent again under its key. The same key with another request (method, path, query or body) is a 422 on
``Idempotency-Key``. Repeats sent while the first is running wait for it on the same server; servers in other
processes rely on the store's own checks (a determination's key, a licence number, a batch's id).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Callable, Coroutine
from typing import Any
from weakref import WeakValueDictionary

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from clearance.errors import InputError
from clearance.store import Store
from clearance.store.idempotency import Answer

HEADER = "Idempotency-Key"
MAX_LENGTH = 200
#: The response headers a repeat is answered with (besides the status and body).
KEPT = ("content-type", "content-disposition", "location", "etag")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def key_of(request: Request) -> str | None:
    """The request's ``Idempotency-Key`` (None without one); :class:`InputError` if it is empty or too long."""
    key = request.headers.get(HEADER)
    if key is not None and not 1 <= len(key) <= MAX_LENGTH:
        raise InputError(HEADER, f"must be 1 to {MAX_LENGTH} characters (got {len(key)})")
    return key


async def fingerprint(request: Request) -> str:
    """SHA-256 of what makes a request itself: method, path, query and body."""
    digest = hashlib.sha256()
    for part in (request.method, request.url.path, request.url.query):
        digest.update(part.encode() + b"\0")
    digest.update(await request.body())
    return digest.hexdigest()


class Idempotency:
    """Answers requests sent with an ``Idempotency-Key`` from the store's remembered answers (see the module)."""

    def __init__(self, store: Store, hours: float) -> None:
        self.store = store
        self.retention = dt.timedelta(hours=hours)
        self._running: WeakValueDictionary[tuple[str, str], asyncio.Lock] = WeakValueDictionary()

    async def answer(self, request: Request, owner: str, key: str, handler: Handler) -> Response:
        """The remembered answer to this request under ``key``, else ``handler``'s (remembered if it succeeds)."""
        lock = self._running.setdefault((owner, key), asyncio.Lock())
        async with lock:
            fingerprinted = await fingerprint(request)
            found = await run_in_threadpool(self.store.idempotency.recall, owner, key, self.retention)
            if found is not None:
                if found.fingerprint != fingerprinted:
                    raise InputError(HEADER, f"{key!r} was sent before with another request: use a new key")
                return Response(found.body, found.status, found.headers)
            response = await handler(request)
            body = getattr(response, "body", None)  # a streamed response is not kept
            if 200 <= response.status_code < 300 and isinstance(body, bytes):
                headers = {name: response.headers[name] for name in KEPT if name in response.headers}
                kept = Answer(fingerprinted, response.status_code, headers, body)
                await run_in_threadpool(self.store.idempotency.remember, owner, key, kept, self.retention)
            return response
