"""YAML reading within limits: alias bombs, recursive aliases and deep nesting are refused while composing, with
a PackError naming the file and the problem (CLI: exit 2, one line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import PackError
from clearance.law.scenario import read_scenario
from clearance.law.yamlio import YamlLimits, read_yaml
from support import BOMBS, ROOT, alias_bomb, run_cli


def _write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bombs_are_refused_naming_the_problem(tmp_path: Path, name: str) -> None:
    text, words = BOMBS[name]
    with pytest.raises(PackError) as caught:
        read_yaml(_write(tmp_path, text), "doc.yaml")
    assert caught.value.file == "doc.yaml"
    assert words in caught.value.message and "line " in caught.value.message


def test_aliases_within_the_budget_are_read(tmp_path: Path) -> None:
    data = read_yaml(_write(tmp_path, "base: &b {members: [KR, US]}\ncopy: *b\n"))
    assert data == {"base": {"members": ["KR", "US"]}, "copy": {"members": ["KR", "US"]}}


def _expanded(levels: int, fanout: int) -> int:
    """Nodes of :func:`alias_bomb` with every alias expanded: the root, and each key with its list."""
    size, total = 1 + fanout, 1
    for _ in range(levels):
        total += 1 + size
        size = 1 + fanout * size
    return total


@given(st.integers(1, 5), st.integers(1, 6))
@settings(max_examples=60, deadline=None)
def test_an_alias_budget_counts_every_expanded_node(tmp_path_factory: Any, levels: int, fanout: int) -> None:
    path = _write(tmp_path_factory.mktemp("b"), alias_bomb(levels, fanout))
    limits = YamlLimits(nodes=400)
    if _expanded(levels, fanout) > limits.nodes:
        with pytest.raises(PackError, match="aliases expand"):
            read_yaml(path, limits=limits)
    else:
        data = read_yaml(path, limits=limits)
        assert len(data) == levels and data["l0"] == ["lol"] * fanout


@given(st.integers(1, 90), st.sampled_from(["flow", "block"]))
@settings(max_examples=60, deadline=None)
def test_nesting_is_read_up_to_the_depth_limit(tmp_path_factory: Any, depth: int, style: str) -> None:
    if style == "flow":
        text = "[" * depth + "x" + "]" * depth
    else:
        text = "".join("  " * level + "- \n" for level in range(depth - 1)) + "  " * (depth - 1) + "- x\n"
    path = _write(tmp_path_factory.mktemp("d"), text)
    if depth > YamlLimits().depth:
        with pytest.raises(PackError, match="nested deeper"):
            read_yaml(path)
    else:
        data = read_yaml(path)
        for _ in range(depth):
            assert isinstance(data, list) and len(data) == 1
            data = data[0]
        assert data == "x"


def test_a_scenario_bomb_is_refused_by_the_scenario_reader(tmp_path: Path) -> None:
    path = _write(tmp_path, "scenario: x\nregime: jp\n" + alias_bomb(), "bomb.yaml")
    with pytest.raises(PackError, match="aliases expand"):
        read_scenario(path)


@pytest.mark.parametrize("name", ["alias_bomb", "recursive_sequence", "deep_flow"])
def test_the_cli_refuses_a_scenario_bomb_with_one_line(tmp_path: Path, name: str) -> None:
    text, words = BOMBS[name]
    path = _write(tmp_path, "scenario: x\nregime: jp\n" + text if name == "alias_bomb" else text, "bomb.yaml")
    result = run_cli(
        "impact", "--portfolio", str(ROOT / "examples" / "portfolio"), "--before", "2019-08-01", "--scenario", str(path)
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "bomb.yaml" in result.stderr and words in result.stderr
