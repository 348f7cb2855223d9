"""The web app served for real (uvicorn in a thread) over a seeded demo store, and a browser to walk it."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from clearance.api import Settings, create_app
from clearance.demo import Examples, Seeded, examples, seed
from clearance.law import load_regulations
from clearance.store import Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Site:
    """A running server: its base URL, the store behind it, the demo keys and the sample files."""

    base: str
    store: Store
    seeded: Seeded
    files: Examples

    def url(self, path: str) -> str:
        """An absolute URL on the site."""
        return self.base + path

    def token(self, role: str) -> str:
        """The demo API key of ``role``."""
        return self.seeded.tokens[role]  # type: ignore[index]


def free_port() -> int:
    """A TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(database: Path) -> Iterator[Site]:
    """The demo, seeded into a fresh SQLite file and served on a free port until the block ends."""
    store = Store(f"sqlite:///{database}")
    files = examples()
    done = seed(store, load_regulations(), files)
    settings = Settings(
        key_cache_seconds=0,
        session_secret="test-secret",
        catalogue=str(files.catalogue),
        portfolio=str(files.portfolio),
        demo=True,
    )
    app = create_app(settings, store=store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield Site(f"http://127.0.0.1:{port}", store, done, files)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no form with a CSRF token on the page"
    return found.group(1)
