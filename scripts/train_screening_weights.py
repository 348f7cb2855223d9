"""Learn the screening features' weights from the lists and write ``src/clearance/screening/data/learned_weights.json``
(see :mod:`clearance.screening.training` for how the pairs are drawn, the model fitted and the figures judged).

Run from the repository root (../shared beside it); it takes a few minutes on one core::

    PYTHONPATH=src .venv/bin/python scripts/train_screening_weights.py            # writes the weights file
    PYTHONPATH=src .venv/bin/python scripts/train_screening_weights.py --check    # fails if the file would change
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clearance.screening.learned import WEIGHTS_FILE
from clearance.screening.training import (
    either_side_line,
    folds_text,
    refined_line,
    reproducible,
    run,
    script_pair_table,
    weights_text,
)

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "name-matching-eval"


def report(evaluation: dict[str, Any]) -> str:
    """The evaluation as Markdown."""
    lines = [
        f"Threshold chosen on validation: {evaluation['threshold']:.2f}; the test split, P / R / F1:",
        "",
        *script_pair_table(evaluation),
    ]
    lines += ["", refined_line(evaluation["refined"]), "", either_side_line(evaluation["either_side"])]
    nk = evaluation["nomenklatura"]
    lines += [
        "",
        f"nomenklatura's {nk['out_of_fold']['pairs']} pairs, out of fold: F1 {nk['out_of_fold']['f1']:.3f} "
        f"(P {nk['out_of_fold']['precision']:.3f}, R {nk['out_of_fold']['recall']:.3f}; {folds_text(nk['by_fold'])}); "
        f"v1 at 0.8: F1 {nk['v1']['f1']:.3f}; out of fold with each fold's threshold chosen on the other four folds: "
        f"F1 {nk['out_of_fold_own_threshold']['f1']:.3f}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    reproducible()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the weights file would change")
    parser.add_argument("--report", type=Path, help="also write the evaluation (Markdown) here")
    args = parser.parse_args(argv)
    content, evaluation = run(EVAL)
    text = weights_text(content)
    print(report(evaluation))
    if args.report:
        args.report.write_text(report(evaluation), encoding="utf-8")
    if args.check:
        same = WEIGHTS_FILE.exists() and WEIGHTS_FILE.read_text(encoding="utf-8") == text
        print("weights file reproduced byte for byte" if same else f"{WEIGHTS_FILE} differs", file=sys.stderr)
        return 0 if same else 1
    WEIGHTS_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
