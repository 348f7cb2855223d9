"""``clearance lists refresh``: lists fetched from a local HTTP server (or read from files) in their publishers'
formats, imported only when they changed, then the delta re-screen of every party screened before (those with no
hit too), reporting only the new hits."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from clearance.cli import app
from clearance.store import ENV

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(ENV, raising=False)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on localhost, and its base URL."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _run(db_url: str, *args: str) -> Result:
    return runner.invoke(app, [*args, "--database", db_url])


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _un_list(extra_entity: str = "") -> str:
    text = (FIXTURES / "un-consolidated.xml").read_text(encoding="utf-8")
    return text.replace("</ENTITIES>", extra_entity + "</ENTITIES>")


NEW_ENTITY = """<ENTITY><DATAID>999</DATAID><FIRST_NAME>ZETA SHIPPING LTD</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
<REFERENCE_NUMBER>KPe.999</REFERENCE_NUMBER><LISTED_ON>2026-08-01</LISTED_ON></ENTITY>"""


def test_refresh_imports_what_changed_and_reports_only_new_hits(
    sqlite_url: str, served: tuple[Path, str], tmp_path: Path
) -> None:
    root, base = served
    (root / "consolidated.xml").write_text(_un_list(), encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - url: {base}/consolidated.xml\n", encoding="utf-8")

    first = _json(_run(sqlite_url, "lists", "refresh", "--sources", str(sources), "--json"))
    assert [(r["list_id"], r["stored"], len(r["added"])) for r in first["lists"]] == [("un-sc-consolidated", True, 2)]
    assert first["rescreened"] == 0  # nobody screened yet

    # Two parties screened against the UN list: one matches KOMID, the other has no hit at all.
    for name in ("Korea Mining Development Trading Corporation", "Zeta Shipping Ltd"):
        _json(_run(sqlite_url, "screen", name, "--list", "un-sc-consolidated", "--json"))

    again = _json(_run(sqlite_url, "lists", "refresh", "--sources", str(sources), "--json"))
    assert [r["stored"] for r in again["lists"]] == [False]  # the same content: not imported, nobody re-screened
    assert again["rescreened"] == 0 and again["new_hits"] == []

    (root / "consolidated.xml").write_text(_un_list(NEW_ENTITY), encoding="utf-8")
    changed = _json(_run(sqlite_url, "lists", "refresh", "--sources", str(sources), "--json"))
    assert [(r["stored"], r["added"]) for r in changed["lists"]] == [(True, ["un-sc-consolidated:KPe.999"])]
    assert changed["rescreened"] == 2
    # Only the party that now hits the new entry is reported; KOMID's hit was seen before.
    assert [(h["query"]["names"], [r["id"] for r in h["results"]]) for h in changed["new_hits"]] == [
        (["Zeta Shipping Ltd"], ["un-sc-consolidated:KPe.999"])
    ]


def test_refresh_reads_files_and_fetches_several_urls_as_one_list(
    sqlite_url: str, served: tuple[Path, str], tmp_path: Path
) -> None:
    root, base = served
    sdn = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "us-ofac-non-sdn-consolidated-2025"
    if not sdn.exists():
        pytest.skip("../shared/data is not here")
    for name in ("cons_prim.csv", "cons_alt.csv", "cons_add.csv"):
        (root / name.upper()).write_bytes((sdn / name).read_bytes())
    sources = tmp_path / "sources.yaml"
    urls = ", ".join(f"{base}/{n.upper()}" for n in ("cons_prim.csv", "cons_alt.csv", "cons_add.csv"))
    sources.write_text(
        f"sources:\n  - url: [{urls}]\n  - path: {FIXTURES / 'sdn.xml'}\n    date: 2021-07-30\n", encoding="utf-8"
    )
    data = _json(_run(sqlite_url, "lists", "refresh", "--sources", str(sources), "--json"))
    assert [(r["list_id"], len(r["added"])) for r in data["lists"]] == [("us-ofac-cons", 442), ("us-ofac-sdn", 3)]
    shown = _json(_run(sqlite_url, "lists", "show", "--json"))
    dates = {row["list_id"]: row["list_date"] for row in shown}
    assert dates["us-ofac-sdn"] == "2021-07-30"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sources: []\n", "expected 'sources:' with a list of sources"),
        ("sources:\n  - url: ftp://x/y.xml\n", "'url' must be http:// or https://"),
        ("sources:\n  - path: a\n    url: http://x/y\n", "give 'url' (one or a list) or 'path', not both"),
        ("sources:\n  - path: a\n    date: 31/07/2026\n", "date: '31/07/2026' is not a date"),
    ],
)
def test_bad_sources_files_are_named(sqlite_url: str, tmp_path: Path, content: str, message: str) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(content, encoding="utf-8")
    result = _run(sqlite_url, "lists", "refresh", "--sources", str(sources))
    assert result.exit_code == 2 and message in result.output


def test_an_unreachable_url_fails_naming_it(sqlite_url: str, served: tuple[Path, str]) -> None:
    _, base = served
    result = _run(sqlite_url, "lists", "refresh", f"{base}/missing.xml")
    assert result.exit_code == 2 and f"{base}/missing.xml" in result.output and "HTTP 404" in result.output
