"""The classification data files load strictly: each broken fixture fails with file, key path and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clearance.classify.index import build_index
from clearance.classify.numbering import load_numbering, numbering
from clearance.classify.terms import load_terms, terms
from clearance.errors import PackError

BROKEN = Path(__file__).resolve().parent / "data_errors"

CASES = [
    ("unknown_key.yaml", "terms.t.colour", "unknown key"),
    ("unknown_source.yaml", "terms.t.sources[0]", "unknown source id 'nope'"),
    ("bad_cas.yaml", "terms.t.cas[0]", "not a CAS registry number"),
    ("bad_cas_check_digit.yaml", "terms.t.cas[0]", "its check digit should be 3"),
    ("non_canonical_code.yaml", "terms.t.codes[0]", "write '3C002.a.2'"),
    ("verified_without_primary.yaml", "terms.t.verified", "must say verified: false"),
    ("nothing_to_point_at.yaml", "terms.t", "needs codes, entries or hs"),
    ("duplicate_key.yaml", "terms.t", "duplicate key"),
]


@pytest.mark.parametrize(("name", "path", "message"), CASES, ids=[c[0] for c in CASES])
def test_broken_terms_file(name: str, path: str, message: str) -> None:
    with pytest.raises(PackError) as err:
        load_terms(BROKEN / name)
    assert err.value.path == path
    assert message in err.value.message
    assert name in err.value.file


@pytest.mark.parametrize(
    ("name", "path", "message"),
    [
        ("unknown_target_code.yaml", "terms.t.codes[0]", "unknown code '9E999' (not in the index)"),
        ("unknown_target_entry.yaml", "terms.t.entries.jp[0]", "the jp pack has no row or entry '7(99)'"),
    ],
)
def test_term_targets_must_exist(jp_pack: Any, as_of: Any, name: str, path: str, message: str) -> None:
    with pytest.raises(PackError) as err:
        build_index({"jp": jp_pack}, as_of, load_terms(BROKEN / name))
    assert (err.value.path, err.value.message) == (path, message)


def test_bundled_data_loads() -> None:
    assert len(terms().terms) >= 20
    assert set(numbering().systems) == {"wa", "us"}
    assert numbering().multilateral("3C002") and not numbering().multilateral("3A991")


def test_broken_numbering_file(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[2] / "src/clearance/classify/data/numbering.yaml").read_text()
    bad = tmp_path / "numbering.yaml"
    bad.write_text(text.replace("  1C350:\n", "  1c350:\n"))
    with pytest.raises(PackError) as err:
        load_numbering(bad)
    assert err.value.path == "divergences.1c350" and "canonical" in err.value.message
