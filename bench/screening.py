"""Screening benchmarks: quality on public evaluation sets and speed on the real lists and on 1,000,000 names.

Run from the repository root, with ../shared beside it::

    .venv/bin/python bench/screening.py                      # everything (about 10 minutes on 2 cores)
    .venv/bin/python bench/screening.py --scale 200000       # a smaller synthetic index
    .venv/bin/python bench/screening.py --quality-only       # the quality figures only (no speed)
    .venv/bin/python bench/screening.py --katakana-only      # MOF katakana → English recall only (seconds)
    .venv/bin/python bench/screening.py --nomenklatura-python /tmp/nkvenv/bin/python   # add nomenklatura's matcher

Every figure is printed next to a brute-force rapidfuzz baseline measured in the same run: ``token_sort_ratio``
(rapidfuzz's default processor, on the anyascii reading of both names) against every name, a match at 85 or more.
The script prints a Markdown report; ``--write`` also stores it in docs/benchmarks-screening.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from clearance.collector import long_lived
from clearance.screening import Query, ScreeningIndex, import_list, screen
from clearance.screening.features import ALGORITHM
from clearance.screening.matcher import DEFAULT_THRESHOLD, score_party
from clearance.screening.model import ListVersion, Party
from clearance.screening.normalise import name_forms
from clearance.screening.training import (
    BASELINE_CUTOFF,
    baseline_key,
    either_side_line,
    folds_text,
    prf,
    refined_line,
    reproducible,
    script_pair_table,
)
from clearance.screening.training import run as train_and_evaluate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
EVAL = DATA / "name-matching-eval"
KATAKANA = re.compile(r"^[\u30a0-\u30ff・＝ー\s]+$")


def rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    """Current resident memory, in MiB (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- quality ------------------------------------------------------------------------------------------------


def nomenklatura_pairs(nk_python: str | None) -> dict[str, Any]:
    """P/R/F1 on nomenklatura's 826 labelled pairs, for clearance, the baseline and (optionally) nomenklatura."""
    path = EVAL / "nomenklatura" / "cases.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    labels = [r["is_match"] == "true" for r in rows]
    ours = []
    for r in rows:
        person = r["schema"] == "Person"
        q, c = name_forms(r["name1"], person), name_forms(r["name2"], person)
        if not q or not c:
            ours.append(0.0)
            continue
        party = Party.build("pairs", "1", r["schema"], [r["name2"]])
        ours.append(score_party(Query((r["name1"],), r["schema"]).context(), q, party, c).score)
    base = [fuzz.token_sort_ratio(baseline_key(r["name1"]), baseline_key(r["name2"])) for r in rows]
    out: dict[str, Any] = {
        "pairs": len(rows),
        "clearance": prf(labels, [s >= DEFAULT_THRESHOLD for s in ours]),
        "clearance_sweep": {t: prf(labels, [s >= t for s in ours])["f1"] for t in (0.7, 0.75, 0.8, 0.85, 0.9)},
        "baseline": prf(labels, [s >= BASELINE_CUTOFF for s in base]),
        "baseline_best": max((prf(labels, [s >= t for s in base])["f1"], t) for t in range(50, 100, 5)),
    }
    if nk_python:
        helper = Path(__file__).with_name("nomenklatura_pairs.py")
        done = subprocess.run([nk_python, str(helper), str(path)], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            scores = [json.loads(line)["score"] for line in done.stdout.splitlines()]
            out["nomenklatura_logic_v2"] = prf(labels, [s >= 0.7 for s in scores])
            out["nomenklatura_best"] = max(
                (prf(labels, [s >= t / 100 for s in scores])["f1"], t / 100) for t in range(50, 100, 5)
            )
        else:
            out["nomenklatura_error"] = done.stderr.strip().splitlines()[-1:] or ["failed"]
    return out


def nomenklatura_by_script_pair(nk_python: str, pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """nomenklatura's logic-v2 (match at 0.7) on the test split of the list pairs, by script pair."""
    helper = Path(__file__).with_name("nomenklatura_pairs.py")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
        handle.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs)
    try:
        done = subprocess.run([nk_python, str(helper), handle.name], capture_output=True, text=True, check=False)
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        return {}
    scores = [json.loads(line)["score"] for line in done.stdout.splitlines()]
    out = {}
    for label in sorted({p["script_pair"] for p in pairs}):
        chosen = [i for i, p in enumerate(pairs) if p["script_pair"] == label]
        out[label] = prf([pairs[i]["label"] for i in chosen], [scores[i] >= 0.7 for i in chosen])
    return out


def negatives(index: ScreeningIndex, names: list[str], choices: list[str]) -> dict[str, Any]:
    """False-positive rate of yente's 2,000 synthetic negatives against the full index."""
    queries = []
    for file in ("negatives_global.csv", "negatives_us.csv"):
        queries += [r["full_name"] for r in csv.DictReader((EVAL / "yente-negatives" / file).open(encoding="utf-8"))]
    ours = sum(1 for q in queries if any(c.match for c in screen(index, Query((q,), "Person"))))
    unknown = sum(1 for q in queries if any(c.match for c in screen(index, Query((q,)))))
    sample = queries[::4]
    base = sum(
        1
        for q in sample
        if process.extractOne(baseline_key(q), choices, scorer=fuzz.token_sort_ratio, score_cutoff=BASELINE_CUTOFF)
    )
    return {
        "queries": len(queries),
        "clearance_fpr": ours / len(queries),
        "clearance_fpr_no_schema": unknown / len(queries),
        "clearance_false": ours,
        "clearance_false_no_schema": unknown,
        "baseline_queries": len(sample),
        "baseline_fpr": base / len(sample),
    }


def katakana_recall(mof: ListVersion) -> dict[str, Any]:
    """Recall when the katakana name of each MOF entry is screened against the English names of the MOF list."""
    pairs = []
    english = []
    for p in mof.parties:
        if len(p.names) >= 2 and KATAKANA.match(p.names[0]) and p.names[1].isascii():
            english.append(Party.build("mof-en", p.source_id, p.schema, [p.names[1]]))
            pairs.append((p.names[0], p.source_id, p.schema, p.names[1]))
    index = ScreeningIndex.build([ListVersion("mof-en", "MOF English names", None, "bench", tuple(english))])
    choices = [baseline_key(p.names[0]) for p in english]
    hits = {"all": [0, 0], "Person": [0, 0]}
    base = {"all": [0, 0], "Person": [0, 0]}
    for katakana, source_id, schema, _ in pairs:
        found = any(c.match and c.party.source_id == source_id for c in screen(index, Query((katakana,), schema)))
        best = process.extractOne(
            baseline_key(katakana), choices, scorer=fuzz.token_sort_ratio, score_cutoff=BASELINE_CUTOFF
        )
        base_found = best is not None and english[best[2]].source_id == source_id
        for key in ("all", schema):
            if key in hits:
                hits[key][0] += found
                hits[key][1] += 1
                base[key][0] += base_found
                base[key][1] += 1
    return {
        "pairs": hits["all"][1],
        "persons": hits["Person"][1],
        "clearance_recall": hits["all"][0] / hits["all"][1],
        "clearance_recall_persons": hits["Person"][0] / hits["Person"][1],
        "baseline_recall": base["all"][0] / base["all"][1],
        "baseline_recall_persons": base["Person"][0] / base["Person"][1],
    }


# --- speed --------------------------------------------------------------------------------------------------


def timed(run: Callable[[Any], Any], queries: Sequence[Any]) -> dict[str, float]:
    """Queries per second and p50/p99 latency (ms) of ``run`` over ``queries``, one at a time on one core: by the
    wall clock, and by this process's CPU time (``qps_cpu``: what one core does when the machine is shared)."""
    latencies = []
    cpu = time.process_time()
    start = time.perf_counter()
    for q in queries:
        t = time.perf_counter()
        run(q)
        latencies.append((time.perf_counter() - t) * 1000)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    latencies.sort()
    return {
        "queries": len(queries),
        "qps": len(queries) / total,
        "qps_cpu": len(queries) / cpu,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def perturb(name: str, rng: random.Random) -> str:
    """A realistic variant: one typo, swapped word order, or a dropped middle word."""
    words = name.split()
    kind = rng.choice(("typo", "order", "drop") if len(words) >= 3 else ("typo", "order"))
    if kind == "order":
        return " ".join(reversed(words))
    if kind == "drop":
        return " ".join(words[:1] + words[2:])
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 5:
        return " ".join(reversed(words))
    j = rng.randrange(1, len(word) - 1)
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]  # swap two letters
    return " ".join(words)


def synthetic(size: int, source: list[ListVersion], seed: int = 7) -> tuple[list[str], list[str]]:
    """``size`` person and company names made of real name tokens, and the token pool."""
    rng = random.Random(seed)
    person_tokens: list[str] = []
    org_tokens: list[str] = []
    for version in source:
        for p in version.parties:
            for n in p.all_names[:3]:
                if not n.isascii():
                    continue
                words = [w for w in re.split(r"[\s,]+", n) if w.isalpha() and len(w) > 1]
                (person_tokens if p.schema == "Person" else org_tokens).extend(words)
    suffixes = ["LLC", "Ltd", "Co., Ltd.", "JSC", "GmbH", "Corporation", "Trading", "Group", ""]
    names = []
    seen: set[str] = set()
    while len(names) < size:
        if rng.random() < 0.6:
            name = " ".join(rng.choice(person_tokens).capitalize() for _ in range(rng.choice((2, 2, 3, 3, 4))))
        else:
            words = [rng.choice(org_tokens).capitalize() for _ in range(rng.choice((1, 2, 2, 3)))]
            name = " ".join([*words, rng.choice(suffixes)]).strip()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names, person_tokens


def speed_real(index: ScreeningIndex, names: list[str], rng: random.Random) -> dict[str, Any]:
    """Throughput on the real index: perturbed list names (a match expected) and yente negatives (none)."""
    sample = [perturb(n, rng) for n in rng.sample([n for n in names if n.isascii() and " " in n], 1000)]
    negatives_us = [r["full_name"] for r in csv.DictReader((EVAL / "yente-negatives" / "negatives_us.csv").open())]
    queries = sample + negatives_us[:1000]
    rng.shuffle(queries)
    for q in queries[:100]:
        screen(index, Query((q,)))  # warm the caches
    ours = timed(lambda q: screen(index, Query((q,))), queries)
    choices = [baseline_key(n) for n in names]
    base = timed(
        lambda q: process.extractOne(baseline_key(q), choices, scorer=fuzz.token_sort_ratio, score_cutoff=85),
        queries[:200],
    )
    return {"clearance": ours, "baseline": base}


def speed_scale(size: int, source: list[ListVersion], rng: random.Random) -> dict[str, Any]:
    """Build time, memory, throughput and recall at ``size`` synthetic names, against brute force."""
    names, _ = synthetic(size, source)
    gc.collect()
    parties = tuple(
        Party(
            "synthetic",
            str(i),
            "LegalEntity",
            (n,),
        )
        for i, n in enumerate(names)
    )
    version = ListVersion("synthetic", "synthetic", None, "bench", parties, version="synthetic")
    before = current_rss_mib()
    start = time.perf_counter()
    with long_lived():  # as the library keeps an index (clearance.screening.indexes); collected there
        index = ScreeningIndex.build([version])
    build_s = time.perf_counter() - start
    memory = current_rss_mib() - before
    targets = rng.sample(range(len(names)), 1000)
    queries = [(perturb(names[i], rng), str(i)) for i in targets]
    for q, _ in queries[:50]:
        screen(index, Query((q,)))
    found = 0

    def run(item: tuple[str, str]) -> None:
        nonlocal found
        found += any(c.match and c.party.source_id == item[1] for c in screen(index, Query((item[0],))))

    ours = timed(run, queries)
    ours["recall"] = found / len(queries)
    choices = [baseline_key(n) for n in names]
    base_found = 0

    def brute(item: tuple[str, str]) -> None:
        nonlocal base_found
        best = process.extractOne(baseline_key(item[0]), choices, scorer=fuzz.token_sort_ratio, score_cutoff=85)
        base_found += best is not None and str(best[2]) == item[1]

    base_queries = queries[:50]
    base = timed(brute, base_queries)
    base["recall"] = base_found / len(base_queries)
    stats = index.stats()
    return {"names": size, "build_s": build_s, "index_mib": memory, "stats": stats, "clearance": ours, "baseline": base}


# --- report -------------------------------------------------------------------------------------------------

NOTES = """### How to read these figures

- *nomenklatura pairs*: each pair scored directly (no index), a match at the default threshold. Many labels are
  contestable (Roman-numeral fund vintages and SPV series numbers labelled as matches; Korean given-name swaps
  labelled both ways). The target (F1 ≥ 0.90) is for the learned weights out of fold.
- *yente negatives*: 1,000 global (many scripts) and 1,000 US synthetic persons screened as `Person`, and without
  a schema (read both as a person's and as an organisation's name), against all three lists; a false positive is
  any candidate at or above the threshold. Most remaining ones are genuine name collisions (Zhang Yu, Stephen Smith
  vs STEPHEN EDWARD SMITH, Erik John Lee vs John Lee); none is an acronym (acronyms are for organisations' names).
- *Test split by script pair*: the pairs `clearance.screening.training` draws from the lists (two names of one
  entry; names of other entries of the same list scoring at least 0.3 as hard negatives), entries split and pairs
  drawn by seeded hashes of the entries, so that a changed entry redraws only its own pairs; only the test split is
  reported. Alias pairs include other names of an entry, not only spellings, and
  translated names (zh–Latin): no name matcher finds those, which the figures show.
- *MOF katakana → English*: every MOF entry whose Japanese name is pure katakana and whose English name is Latin;
  the katakana name is screened against an index of the English names only; a hit is the same entry at or above
  the threshold. Organisation names are often katakana loanwords (デベロップメント・バンク) and score lower than
  persons.
- *Speed*: one query at a time in one process; the real-list queries mix 1,000 perturbed list names and 1,000
  yente negatives; the synthetic names are 2–4 real name tokens (60% people, 40% companies with a legal form), the
  queries one typo (two letters swapped), reversed word order or a dropped middle word. The brute-force baseline
  runs `rapidfuzz.process.extractOne` over every name (on 50 queries at 1M names). The machine was shared with
  other jobs, so throughput varies by about ±20% between runs.
"""


def script_pair_section(evaluation: dict[str, Any], by_nk: dict[str, Any]) -> list[str]:
    """The test split's figures by script pair (pairs the lists provide; see clearance.screening.training), with
    nomenklatura's logic-v2 when it ran (``by_nk``)."""
    nk = evaluation["nomenklatura"]
    lines = [
        "### Test split of the list pairs, by script pair",
        "",
        "Pairs drawn from the lists (aliases of one entry; hard negatives from other entries), split by entry; the"
        f" learned weights were fitted on the train split, their threshold ({evaluation['threshold']:.2f}) chosen on"
        " validation. P / R / F1:",
        "",
        *script_pair_table(evaluation, by_nk),
        "",
        refined_line(evaluation["refined"]),
        "",
        either_side_line(evaluation["either_side"]),
    ]
    oof = nk["out_of_fold"]
    lines += [
        "",
        f"nomenklatura's {oof['pairs']} pairs, learned weights out of fold (5 folds): P {oof['precision']:.3f} /"
        f" R {oof['recall']:.3f} / F1 {oof['f1']:.3f} ({folds_text(nk['by_fold'])}); clearance-name-v1, whose hand"
        f" weights were set while looking at these pairs: F1 {nk['v1']['f1']:.3f}. Out of fold with each fold's"
        f" threshold chosen on the other four folds: F1 {nk['out_of_fold_own_threshold']['f1']:.3f}.",
    ]
    return lines


def report(results: dict[str, Any], command: str) -> str:
    """The Markdown section for docs/benchmarks-screening.md."""
    q = results["pairs"]
    n = results["negatives"]
    k = results["katakana"]
    pct = "{:.1%}".format
    pct2 = "{:.2%}".format  # a false positive of 2,000 is 0.05 %: the target (0.5 %) is 10
    lines = [
        "## Restricted-party screening",
        "",
        f"- Date: {results['date']}; machine: {results['machine']}; Python {platform.python_version()}.",
        f"- Command: `{command}`",
        f"- Algorithm `{ALGORITHM}`, default threshold {DEFAULT_THRESHOLD}. Baseline: rapidfuzz `token_sort_ratio`"
        f" over every name (anyascii reading, default processor), match at ≥ {BASELINE_CUTOFF:.0f}.",
        "- Real index: US CSL 2026-07-31 + METI End User List 2025-09-29 + MOF asset-freeze list 2026-03-05"
        + (speed_header(results["real"]) if "real" in results else "."),
        "",
        "### Quality",
        "",
        "| measure | clearance | rapidfuzz baseline | nomenklatura logic-v2 | target |",
        "|---|---|---|---|---|",
    ]
    nk = q.get("nomenklatura_logic_v2")
    nk_cell = (
        f"P {nk['precision']:.3f} / R {nk['recall']:.3f} / F1 {nk['f1']:.3f} (at 0.7; best F1"
        f" {q['nomenklatura_best'][0]:.3f} at {q['nomenklatura_best'][1]})"
        if nk
        else "not run"
    )
    lines += [
        f"| nomenklatura pairs ({q['pairs']}): precision / recall / F1 | P {q['clearance']['precision']:.3f} /"
        f" R {q['clearance']['recall']:.3f} / F1 {q['clearance']['f1']:.3f} | P {q['baseline']['precision']:.3f}"
        f" / R {q['baseline']['recall']:.3f} / F1 {q['baseline']['f1']:.3f} (best F1 {q['baseline_best'][0]:.3f}"
        f" at {q['baseline_best'][1]}) | {nk_cell} | out-of-fold F1 ≥ 0.90 |",
        f"| yente negatives ({n['queries']:,}) vs full index: false-positive rate | {pct2(n['clearance_fpr'])}"
        f" ({n['clearance_false']}) as Person, {pct2(n['clearance_fpr_no_schema'])} ({n['clearance_false_no_schema']})"
        f" without a schema | {pct(n['baseline_fpr'])} (on"
        f" {n['baseline_queries']} of them) | – | ≤ 0.5% |",
        f"| MOF katakana → English names ({k['pairs']:,} entries): recall | {pct(k['clearance_recall'])}"
        f" (persons {pct(k['clearance_recall_persons'])} of {k['persons']:,}) | {pct(k['baseline_recall'])}"
        f" (persons {pct(k['baseline_recall_persons'])}) | – | ≥ 95% |",
        "",
        "F1 of clearance by threshold on the pairs: "
        + ", ".join(f"{t}: {f:.3f}" for t, f in q["clearance_sweep"].items())
        + ".",
        "",
        *script_pair_section(results["training"], results.get("nomenklatura_by_script_pair", {})),
        "",
        *(speed_section(results) if "scale" in results else []),
        NOTES,
    ]
    return "\n".join(lines)


def speed_header(r: dict[str, Any]) -> str:
    """The real index's size and build time, for the report's header."""
    return (
        f": {r['stats']['parties']:,} entries, {r['stats']['forms']:,} name forms; built in {r['build_s']:.1f} s,"
        f" {r['index_mib']:.0f} MiB."
    )


def speed_section(results: dict[str, Any]) -> list[str]:
    """The speed part of the report."""
    r = results["real"]
    s = results["scale"]
    pct = "{:.1%}".format
    return [
        "### Speed (one process, one core)",
        "",
        "| index | clearance q/s (wall / CPU time) | p50 / p99 ms | baseline q/s (wall / CPU) | baseline p50 / p99 ms"
        " | recall (clearance / baseline) |",
        "|---|---|---|---|---|---|",
        f"| real lists ({r['stats']['forms']:,} forms), 2,000 mixed queries | {r['clearance']['qps']:,.0f} /"
        f" {r['clearance']['qps_cpu']:,.0f} | {r['clearance']['p50_ms']:.2f} / {r['clearance']['p99_ms']:.2f} |"
        f" {r['baseline']['qps']:,.1f} / {r['baseline']['qps_cpu']:,.1f} |"
        f" {r['baseline']['p50_ms']:.1f} / {r['baseline']['p99_ms']:.1f} | – |",
        f"| {s['names']:,} synthetic names, 1,000 perturbed queries | {s['clearance']['qps']:,.0f} /"
        f" {s['clearance']['qps_cpu']:,.0f} | {s['clearance']['p50_ms']:.2f} / {s['clearance']['p99_ms']:.2f} |"
        f" {s['baseline']['qps']:,.2f} / {s['baseline']['qps_cpu']:,.2f} |"
        f" {s['baseline']['p50_ms']:.0f} / {s['baseline']['p99_ms']:.0f} | {pct(s['clearance']['recall'])} /"
        f" {pct(s['baseline']['recall'])} (baseline on {s['baseline']['queries']} queries) |",
        "",
        f"Index at {s['names']:,} names: built in {s['build_s']:.0f} s, {s['index_mib']:,.0f} MiB resident"
        f" ({s['stats']['forms']:,} forms, {s['stats']['keys']:,} keys, {s['stats']['postings']:,} postings;"
        " growth of the resident set while building, in a fresh process); peak RSS of the quality and real-list"
        f" run {results['peak_rss_mib']:,.0f} MiB. Targets: ≥ 2,000 q/s per core at 1M"
        " names, ≥ 10× the brute-force baseline at equal or better recall, ≤ 2 GiB for 1M names.",
        "",
    ]


def main() -> None:
    reproducible()  # the list pairs are drawn as when the weights were learned
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000, help="synthetic index size (default 1,000,000)")
    parser.add_argument("--nomenklatura-python", default=None, help="an interpreter with nomenklatura installed")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks-screening.md")
    parser.add_argument("--scale-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quality-only", action="store_true", help="only the quality figures (no speed; no --write)")
    parser.add_argument("--katakana-only", action="store_true", help="only MOF katakana → English recall (no --write)")
    args = parser.parse_args()
    if args.katakana_only:
        mof = import_list(DATA / "jp-mof-asset-freeze-list-2026-03-05" / "shisantouketsu20260305.xlsx")
        print(json.dumps(katakana_recall(mof)))
        return
    if args.quality_only and args.write:
        parser.error("--write needs the speed figures too: leave out --quality-only")
    if args.scale_only:  # the synthetic-index part, in a fresh process so that its memory is measured cleanly
        from clearance.screening.bundled import load_bundled

        source = [load_bundled(i) for i in ("us-csl", "jp-meti-eul", "jp-mof-asset-freeze")]
        print(json.dumps(speed_scale(args.scale, source, random.Random(43))))
        return
    if not DATA.exists():
        sys.exit(f"{DATA} not found: run from a checkout with ../shared beside it")
    rng = random.Random(42)
    results: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
    }
    lists = [
        import_list(DATA / "us-csl-2026-07-31" / "screening-list.json"),
        import_list(DATA / "jp-meti-end-user-list-2025-09-29" / "20250929_4.xlsx"),
        import_list(DATA / "jp-mof-asset-freeze-list-2026-03-05" / "shisantouketsu20260305.xlsx"),
    ]
    gc.collect()
    before = current_rss_mib()
    start = time.perf_counter()
    with long_lived():
        index = ScreeningIndex.build(lists)
    real_build = time.perf_counter() - start
    real_mib = current_rss_mib() - before
    names = [n for v in lists for p in v.parties for n in p.all_names]
    print("quality: pairs", file=sys.stderr)
    results["pairs"] = nomenklatura_pairs(args.nomenklatura_python)
    print("quality: negatives", file=sys.stderr)
    results["negatives"] = negatives(index, names, [baseline_key(n) for n in names])
    print("quality: list pairs by script pair (training and evaluation)", file=sys.stderr)
    results["training"] = train_and_evaluate(EVAL)[1]
    test_pairs = results["training"].pop("test_pairs")
    if args.nomenklatura_python:
        results["nomenklatura_by_script_pair"] = nomenklatura_by_script_pair(args.nomenklatura_python, test_pairs)
    print("quality: katakana", file=sys.stderr)
    results["katakana"] = katakana_recall(lists[2])
    if args.quality_only:
        print(report(results, ("python bench/screening.py " + " ".join(sys.argv[1:])).strip()))
        return
    print("speed: real index", file=sys.stderr)
    results["real"] = {**speed_real(index, names, rng), "build_s": real_build, "index_mib": real_mib}
    results["real"]["stats"] = index.stats()
    del index
    results["peak_rss_mib"] = rss_mib()
    print(f"speed: {args.scale:,} names", file=sys.stderr)
    command_line = [sys.executable, __file__, "--scale-only", "--scale", str(args.scale)]
    child = subprocess.run(command_line, capture_output=True, text=True, check=True)
    results["scale"] = json.loads(child.stdout)
    command = "python bench/screening.py " + " ".join(sys.argv[1:])
    text = report(results, command.strip())
    print(text)
    print(json.dumps(results, indent=1, default=str), file=sys.stderr)
    if args.write:
        target = ROOT / "docs" / "benchmarks-screening.md"
        head = "# Benchmarks: restricted-party screening\n\nGenerated by `bench/screening.py`; re-run to refresh.\n\n"
        target.write_text(head + text, encoding="utf-8")


if __name__ == "__main__":
    main()
