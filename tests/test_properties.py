"""Property tests of the parsers: they either accept input or reject it with our own error, never crash."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.engine.io import parse_shipment
from clearance.errors import InputError, PackError
from clearance.law.codes import code_within, normalise_code
from clearance.law.timeline import Timeline, Version
from clearance.law.yamlio import read_yaml

codes = st.from_regex(r"\A[0-9][A-Ea-e][0-9]{3}(\.[a-zA-Z0-9]{1,2}){0,3}\Z")


@given(codes)
def test_normalising_a_code_is_idempotent(raw: str) -> None:
    code = normalise_code(raw)
    assert normalise_code(code) == code
    assert code_within(code, code[:5])


@given(st.text(max_size=20))
def test_normalise_code_rejects_with_value_error_only(raw: str) -> None:
    with contextlib.suppress(ValueError):
        normalise_code(raw)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@given(
    st.dictionaries(st.sampled_from(["regime", "date", "destination", "item", "end_use", "informed", "x"]), json_values)
)
def test_any_json_object_is_a_shipment_or_an_input_error(data: dict[str, Any]) -> None:
    try:
        parse_shipment(data)
    except InputError as exc:
        assert exc.field


@given(st.text(max_size=200))
@settings(max_examples=150)
def test_yaml_reader_fails_only_with_pack_errors(tmp_path_factory: Any, text: str) -> None:
    path: Path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with contextlib.suppress(PackError):
        read_yaml(path)


@given(
    st.lists(
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)), min_size=1, max_size=8, unique=True
    ),
    st.dates(),
)
def test_timeline_picks_the_newest_version_on_or_before(dates: list[dt.date], when: dt.date) -> None:
    timeline = Timeline("x", [Version("x", d, d.isoformat()) for d in dates])
    eligible = [d for d in dates if d <= when]
    expected = max(eligible).isoformat() if eligible else None
    assert timeline.value_at(when) == expected
