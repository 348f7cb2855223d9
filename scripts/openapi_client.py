"""Generate a Python client from clearance's OpenAPI schema with a standard generator, and call the API with it.

usage: .venv/bin/python scripts/openapi_client.py [--keep DIR]

What it does, in a throw-away folder (kept with --keep):
1. writes the schema of ``clearance.api.create_app()`` to ``openapi.json``;
2. makes a virtual environment of its own and installs ``openapi-python-client`` there (from the package index
   pip is set up with), so the project's environment is left as it was;
3. generates the client (``openapi-python-client generate --path openapi.json``);
4. serves the API over a fresh SQLite database with the example portfolio, and with the generated client
   (the operation ids are the function names: ``determine``, ``determine_batch``, ``match_all``, ``impact``)
   determines one shipment, a batch, screens a name and runs an impact analysis, printing each answer's gist.

Exit status 0 when every call answered as expected. The generated modules read as
``clearance_client.api.determinations.determine.sync(client=client, body=...)``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = "openapi-python-client"
NAME = "clearance_client"

#: Runs in the throw-away environment, against the server started by this script.
CALLS = textwrap.dedent(
    """
    import json, sys
    from clearance_client import AuthenticatedClient
    from clearance_client.api.determinations import determine, determine_batch
    from clearance_client.api.screening import match_all
    from clearance_client.api.impact import impact
    from clearance_client.models import BatchIn, ImpactRequest, MatchIn, MatchInQueries, Shipment

    base_url, token = sys.argv[1], sys.argv[2]
    client = AuthenticatedClient(base_url=base_url, token=token)
    shipment = json.loads(sys.argv[3])

    answer = determine.sync_detailed(client=client, body=Shipment.from_dict(shipment))
    assert answer.status_code == 201, answer.content
    print("determine:", json.loads(answer.content)["determination"]["licence_required"])

    batch = determine_batch.sync_detailed(client=client, body=BatchIn.from_dict({"shipments": [shipment, shipment]}))
    assert batch.status_code == 200, batch.content
    print("determine_batch:", len(json.loads(batch.content)["results"]), "results")

    party = {"schema": "Organization", "properties": {"name": ["Beihang University"]}}
    queries = MatchInQueries.from_dict({"q": party})
    screened = match_all.sync_detailed(client=client, body=MatchIn(queries=queries))
    assert screened.status_code == 200, screened.content
    results = json.loads(screened.content)["responses"]["q"]["results"]
    print("match_all:", results[0]["caption"] if results else "no result")

    request = ImpactRequest.from_dict({"regime": "jp", "before": "2019-08-27", "after": "2019-08-28"})
    report = impact.sync_detailed(client=client, body=request)
    assert report.status_code == 200, report.content
    print("impact:", json.loads(report.content)["totals"])
    """
)

SHIPMENT = {
    "ref": "SO-1",
    "regime": "jp",
    "date": "2019-07-10",
    "destination": "KR",
    "item": {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods", "value": 8000000, "currency": "JPY"},
    "end_use": "civil",
}


def _run(*command: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(c) for c in command], check=True, cwd=cwd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="clearance-client-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        _generate_and_call(work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _generate_and_call(work: Path) -> None:
    from clearance.api import Settings, create_app
    from clearance.store import Store

    store = Store(f"sqlite:///{work / 'api.db'}", cache_dir=work / "cache")
    settings = Settings(portfolio=str(ROOT / "examples" / "portfolio"), session_secret="client-script")
    app = create_app(settings, store=store)
    (work / "openapi.json").write_text(json.dumps(app.openapi()), encoding="utf-8")

    venv = work / "venv"
    _run(sys.executable, "-m", "venv", venv)
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", GENERATOR)
    config = work / "generator.json"
    config.write_text(json.dumps({"project_name_override": "clearance-client", "package_name_override": NAME}))
    _run(venv / "bin" / GENERATOR, "generate", "--path", "openapi.json", "--config", config, "--overwrite", cwd=work)
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", work / "clearance-client")

    _, token = store.keys.create("client-script", "analyst", "scripts/openapi_client.py")
    (work / "calls.py").write_text(CALLS, encoding="utf-8")
    _run(venv / "bin" / "python", work / "calls.py", _serve(app), token, json.dumps(SHIPMENT))
    store.close()


def _serve(app: object) -> str:
    """Start uvicorn on a free loopback port in a thread; its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}"


if __name__ == "__main__":
    main()
