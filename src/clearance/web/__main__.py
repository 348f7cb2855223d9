"""``python -m clearance.web [--demo] [OPTIONS]``: the same as ``clearance serve`` (the API and the web pages)."""

from __future__ import annotations

import typer

from clearance.cli.serve import serve


def main() -> None:
    """Run ``serve`` as a command of its own."""
    typer.run(serve)


if __name__ == "__main__":
    main()
