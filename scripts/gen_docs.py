"""Regenerate the generated parts of docs/: the data-format reference and the CLI reference.

usage: .venv/bin/python scripts/gen_docs.py   (tests/test_docs.py fails when these files are stale)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clearance.classify.clause_links import clause_links_markdown
from clearance.law import load_regulations
from clearance.law.reference import data_format_markdown, regime_markdown
from clearance.law.regulations import Regulations

DOCS = Path(__file__).resolve().parent.parent / "docs"
COMMANDS = [
    [],
    ["determine"],
    ["regs"],
    ["regs", "show"],
    ["regs", "diff"],
    ["timeline"],
    ["impact"],
    ["screen"],
    ["lists"],
    ["lists", "import"],
    ["lists", "refresh"],
    ["lists", "show"],
    ["lists", "diff"],
    ["decisions"],
    ["decisions", "add"],
    ["decisions", "list"],
    ["serve"],
    ["db"],
    ["db", "upgrade"],
    ["db", "current"],
    ["keys"],
    ["keys", "create"],
    ["keys", "list"],
    ["keys", "revoke"],
    ["audit"],
    ["audit", "list"],
    ["audit", "show"],
    ["audit", "verify"],
    ["audit", "replay"],
    ["licences"],
    ["licences", "add"],
    ["licences", "list"],
    ["licences", "show"],
    ["licences", "draw"],
    ["licences", "amend"],
    ["licences", "expiring"],
    ["orders"],
    ["orders", "check"],
    ["orders", "recheck"],
    ["history"],
    ["history", "check"],
    ["spark"],
    ["spark", "determine"],
    ["spark", "screen"],
    ["spark", "impact"],
    ["classify"],
    ["classify", "search"],
    ["classify", "show"],
    ["classify", "hs"],
    ["classify", "assess"],
    ["classify", "approve"],
    ["classify", "certificate"],
    ["classify", "records"],
    ["classify", "recheck"],
    ["classify", "catalogue"],
    ["classify", "catalogue", "check"],
    ["classify", "catalogue", "import"],
    ["classify", "catalogue", "export"],
    ["classify", "catalogue", "show"],
]


def cli_markdown() -> str:
    """docs/cli.md: the --help of every command, as printed."""
    exe = Path(sys.executable).parent / "clearance"
    out = ["# CLI reference", "", "_Generated from `--help` by `scripts/gen_docs.py`; a test keeps it current._", ""]
    for command in COMMANDS:
        env = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
        if "PYTHONPATH" in os.environ:  # a checkout's own sources first, as its tests run them
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        text = subprocess.run(
            [str(exe), *command, "--help"], capture_output=True, text=True, check=True, env=env
        ).stdout
        title = " ".join(["clearance", *command])
        out += [
            f"## `{title}`",
            "",
            "```",
            "\n".join(line.rstrip() for line in text.strip("\n").splitlines()),
            "```",
            "",
        ]
    return "\n".join(out)


def regime_page(regs: Regulations) -> str:
    """docs/regimes/<id>.md: the pack's reference, and for jp its entries linked to their Goods Ordinance clauses."""
    return regime_markdown(regs) + clause_links_markdown(regs)


if __name__ == "__main__":
    DOCS.mkdir(exist_ok=True)
    (DOCS / "data-format.md").write_text(data_format_markdown(), encoding="utf-8")
    (DOCS / "cli.md").write_text(cli_markdown(), encoding="utf-8")
    (DOCS / "regimes").mkdir(exist_ok=True)
    for regime, regs in load_regulations().items():
        (DOCS / "regimes" / f"{regime}.md").write_text(regime_page(regs), encoding="utf-8")
    print("wrote docs/data-format.md, docs/cli.md and docs/regimes/*.md")
