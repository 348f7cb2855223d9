"""Search latency of the control-list index: p50/p99 over 1,000 queries, against a naive scan in the same run.

    .venv/bin/python bench/classify.py [--queries 1000] [--seed 7] [--json]

The queries mix curated names (English, Japanese, Korean), words and phrases from the entries, codes and
CAS numbers. The naive baseline lower-cases every record's text and ranks records by how many query words
they contain as substrings (a linear scan in Python). Both run on the same full index (every bundled pack
and the CCL extract) on the same machine; the top-3 accuracy of both on the seeds' goods is printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable

from clearance.classify.index import ControlIndex, build_index
from clearance.classify.text import fold
from clearance.law import load_regulations

SEEDS = [
    ("hydrogen fluoride", {"1C350.d.15", "1C350", "jp:3(1)"}),
    ("フッ化水素", {"1C350.d.15", "1C350", "jp:3(1)"}),
    ("불화수소", {"1C350.d.15", "1C350", "jp:3(1)"}),
    ("fluorinated polyimide", {"1C009.b", "1C009", "jp:5(17)"}),
    ("フッ化ポリイミド", {"1C009.b", "1C009", "jp:5(17)"}),
    ("불화 폴리이미드", {"1C009.b", "1C009", "jp:5(17)"}),
    ("EUV photoresist", {"3C002", "3C002.a.2", "jp:7(19)"}),
    ("レジスト", {"3C002", "3C002.a.2", "jp:7(19)"}),
    ("포토레지스트", {"3C002", "3C002.a.2", "jp:7(19)"}),
    ("titanium alloys", {"1C002.b.3", "1C202.b", "jp:5(5)", "jp:2(17)"}),
    ("チタン合金", {"1C002.b.3", "1C202.b", "jp:5(5)", "jp:2(17)"}),
    ("티타늄 합금", {"1C002.b.3", "1C202.b", "jp:5(5)", "jp:2(17)"}),
    ("gyroscopes", {"7A002", "7A102", "jp:11(2)", "jp:4(16)"}),
    ("ジャイロスコープ", {"7A002", "7A102", "jp:11(2)", "jp:4(16)"}),
    ("자이로스코프", {"7A002", "7A102", "jp:11(2)", "jp:4(16)"}),
    ("crane truck", {"jp:16"}),
    ("クレーン車", {"jp:16"}),
    ("크레인 트럭", {"jp:16"}),
]


def queries(index: ControlIndex, count: int, seed: int) -> list[str]:
    """A reproducible mix of realistic queries."""
    rng = random.Random(seed)
    names = [n for term in index.terms.terms.values() for n in term.names.all()]
    words = sorted({w for e in index.entries.values() for w in re.findall(r"[A-Za-z]{4,}", e.title + " " + e.text)})
    headings = [" ".join(e.title.split()[:4]) for e in index.entries.values() if e.title]
    codes = [ref for ref, e in index.entries.items() if e.pack is None]
    cas = [c for e in index.entries.values() for c in e.cas]
    local = [line[:6] for e in index.entries.values() for line in e.text_local.split("\n") if len(line) >= 6]
    pools: list[tuple[float, Callable[[], str]]] = [
        (0.30, lambda: rng.choice(names)),
        (0.20, lambda: " ".join(rng.sample(words, rng.randint(1, 3)))),
        (0.15, lambda: rng.choice(headings)),
        (0.15, lambda: rng.choice(local)),
        (0.12, lambda: rng.choice(codes)),
        (0.08, lambda: rng.choice(cas)),
    ]
    weights = [w for w, _ in pools]
    return [rng.choices(pools, weights)[0][1]() for _ in range(count)]


class NaiveScan:
    """The baseline: substring counting over every record, in Python."""

    def __init__(self, index: ControlIndex) -> None:
        self.docs: list[tuple[str, str]] = []
        for ref, e in index.entries.items():
            names = " ".join(index.attached(ref).aliases)
            text = " ".join((e.code, e.title, e.text, names, e.title_local, e.text_local))
            self.docs.append((ref, fold(text)))

    def search(self, query: str, limit: int = 10) -> list[str]:
        words = [w for w in fold(query).split() if w]
        scored: list[tuple[int, str]] = []
        for ref, text in self.docs:
            score = sum(text.count(w) for w in words)
            if score:
                scored.append((-score, ref))
        scored.sort()
        return [ref for _, ref in scored[:limit]]


def timed(run: Callable[[str], object], items: list[str]) -> list[float]:
    """Milliseconds per query."""
    out = []
    for q in items:
        start = time.perf_counter_ns()
        run(q)
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {
        "p50": round(pick(0.50), 3),
        "p90": round(pick(0.90), 3),
        "p99": round(pick(0.99), 3),
        "max": round(ordered[-1], 3),
        "mean": round(statistics.fmean(ms), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default="2026-08-01")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    packs = load_regulations()
    start = time.perf_counter()
    index = build_index(packs, dt.date.fromisoformat(args.as_of))
    build_ms = (time.perf_counter() - start) * 1000
    items = queries(index, args.queries, args.seed)
    naive = NaiveScan(index)
    index.search(items[0])  # warm the statement cache
    fts_ms = timed(lambda q: index.search(q, limit=10), items)
    naive_ms = timed(lambda q: naive.search(q, limit=10), items)
    fts_top3 = sum(bool(want & {h.ref for h in index.search(q, limit=3).hits}) for q, want in SEEDS)
    naive_top3 = sum(bool(want & set(naive.search(q, limit=3))) for q, want in SEEDS)
    result: dict[str, object] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.processor() or platform.platform()}",
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "packs": sorted(packs),
        "records": len(index.entries),
        "queries": len(items),
        "build_ms": round(build_ms, 1),
        "fts5": summary(fts_ms),
        "naive_scan": summary(naive_ms),
        "seed_top3": {"fts5": f"{fts_top3}/{len(SEEDS)}", "naive_scan": f"{naive_top3}/{len(SEEDS)}"},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    packs_used = ", ".join(sorted(packs))
    print(f"{result['records']} records from packs {packs_used} + CCL; index built in {build_ms:.0f} ms")
    print(f"{len(items)} queries; milliseconds per query:")
    print(f"{'':12} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8} {'mean':>8}")
    for name in ("fts5", "naive_scan"):
        s = result[name]
        assert isinstance(s, dict)
        print(f"{name:12} {s['p50']:>8} {s['p90']:>8} {s['p99']:>8} {s['max']:>8} {s['mean']:>8}")
    print(f"seeds' goods in the top 3: fts5 {fts_top3}/{len(SEEDS)}, naive scan {naive_top3}/{len(SEEDS)}")


if __name__ == "__main__":
    main()
