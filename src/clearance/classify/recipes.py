"""Parameter sheets generated from the imported clause text (``goods_ordinance/recipes/<entry>.yaml``).

A recipe names, per item of the ordinance, the goods it covers and the words of each threshold; the number and
the comparison are read from those words (``〇・一立方メートル超`` → ``over: 0.1``), and the item's wetted
materials from its sub-items through the recipe's ``materials`` table. A sub-item text the table lacks, or words
that are not in the clause, stop the generator: a new version of the ordinance is never encoded silently.
``scripts/gen_sheets.py`` writes the sheets; a test fails when a bundled sheet differs from its recipe's output.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from clearance.classify.datafile import Strict, validate
from clearance.classify.ordinance import ROOT, GoodsOrdinance, OrdinanceClause
from clearance.classify.sheets import SYMBOLS
from clearance.errors import PackError
from clearance.law.yamlio import read_yaml

RECIPES = ROOT / "recipes"
_DIGITS = str.maketrans("〇一二三四五六七八九・", "0123456789.", "、")
_NUMBER = re.compile(
    r"([〇一二三四五六七八九][〇一二三四五六七八九・、]*)"
    r"(?=立方メートル|平方メートル|メートル|マイクロメートル|ミクロン|パーセント|度|Ａ|ミリグラム|キログラム|リットル"
    r"|キロベース|ミリモル|オームセンチメートル|以上|超|未満|以下)"
)
#: The comparison a clause's wording makes, by its closing words (longest first).
_WORDINGS: tuple[tuple[str, str], ...] = (
    ("を超える", "over"),
    ("を超え", "over"),
    ("超", "over"),
    ("以上", "at_least"),
    ("未満", "below"),
    ("以下", "at_most"),
)


class RecipeTest(Strict):
    """A test: a number's comparison is read from ``words``; others give ``equals`` or ``one_of``."""

    parameter: str
    words: str
    equals: bool | None = None
    one_of: list[str] | None = None
    clause: str | None = None


class Goods(Strict):
    """What the item is about: the ``goods_type`` values it covers and the words naming them."""

    one_of: list[str] = Field(min_length=1)
    words: str
    clause: str | None = None


class MaterialGroup(Strict):
    """A material a sub-item admits, with the tests its words set (an alloy's nickel content)."""

    material: str
    tests: tuple[RecipeTest, ...] = ()


class Item(Strict):
    """One item (or alternative of an item): goods, thresholds and where its materials are listed."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    label: str
    goods: Goods
    tests: tuple[RecipeTest, ...] = ()
    materials: str | None = None
    materials_clause: str | None = None
    materials_words: str | None = None
    material_parameter: str = "wetted_material"


class RecipeException(Strict):
    """A labelled exclusion (〜を除く) of the branches it ``overrides``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    label: str
    overrides: list[str] = Field(min_length=1)
    tests: tuple[RecipeTest, ...] = Field(min_length=1)


class Recipe(Strict):
    """A recipe file."""

    entry: str
    label: str
    label_local: str
    kind: str
    in_force: dt.date
    #: Later versions whose text the recipe is read against again: their clauses read differently (so the loader
    #: cannot carry the first value past them) while the recipe's words still match. Each starts a value of its own.
    reread: tuple[dt.date, ...] = ()
    clause: str
    sources: list[str]
    materials: dict[str, tuple[MaterialGroup, ...]] = Field(default_factory=dict)
    items: tuple[Item, ...]
    exceptions: tuple[RecipeException, ...] = ()


def kanji_number(text: str) -> Decimal:
    """A number written in the ordinance's positional kanji digits: ``〇・一五`` → 0.15, ``一、〇〇〇`` → 1000."""
    return Decimal(text.translate(_DIGITS))


def threshold(words: str) -> tuple[str, Decimal]:
    """The comparison and number a clause's words set: ``二〇立方メートル未満`` → (``below``, 20)."""
    numbers = _NUMBER.findall(words)
    comparison = next((c for ending, c in _WORDINGS if words.endswith(ending)), None)
    if not numbers or comparison is None:
        raise ValueError(f"no number with a comparison in {words!r}")
    return comparison, kanji_number(numbers[-1])


def _describe(test: dict[str, Any]) -> str:
    """``nickel_weight_percent > 40``."""
    comparison = next(k for k in SYMBOLS if k in test)
    return f"{test['parameter']} {SYMBOLS[comparison][0]} {test[comparison]}"


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


class _Builder:
    def __init__(self, recipe: Recipe, ordinance: GoodsOrdinance, label: str, day: dt.date) -> None:
        self.recipe = recipe
        self.ordinance = ordinance
        self.label = label
        self.day = day

    def clause(self, ref: str) -> OrdinanceClause:
        return self.ordinance.clause(ref, self.day)

    def test(self, test: RecipeTest, where: str, clause: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"parameter": test.parameter}
        if test.equals is not None:
            out["equals"] = test.equals
        elif test.one_of is not None:
            out["one_of"] = test.one_of
        else:
            try:
                comparison, number = threshold(test.words)
            except ValueError as exc:
                raise PackError(self.label, where, str(exc)) from None
            out[comparison] = _plain(number)
        if test.clause or clause:
            out["clause"] = test.clause or clause
        out["words"] = test.words
        return out

    def materials(self, item: Item) -> list[tuple[str, MaterialGroup]]:
        """The leaf sub-items listing the item's materials, each read through the table."""
        assert item.materials is not None
        top = self.clause(item.materials if item.materials.startswith("Art.") else item.clause)
        out: list[tuple[str, MaterialGroup]] = []
        for _, sub in self.ordinance.tree(top)[1:]:
            if any(True for _ in self.ordinance.children(sub)):
                continue
            groups = self.recipe.materials.get(sub.text)
            if groups is None:
                raise PackError(self.label, f"items.{item.id}", f"{sub.label}: no material for {sub.text!r}")
            out += [(sub.label, g) for g in groups]
        return out

    def branches(self, item: Item) -> list[dict[str, Any]]:
        where = {"clause": item.goods.clause} if item.goods.clause else {}
        goods = {"parameter": "goods_type", "one_of": item.goods.one_of, **where, "words": item.goods.words}
        head = [goods, *(self.test(t, f"items.{item.id}.tests") for t in item.tests)]
        if item.materials is None:
            return [{"id": item.id, "clause": item.clause, "label": item.label, "all": head}]
        wetted: dict[str, Any] = {"parameter": item.material_parameter}
        if item.materials_clause:
            wetted["clause"] = item.materials_clause
        wetted["words"] = item.materials_words or item.materials
        found = self.materials(item)
        plain = list(dict.fromkeys(g.material for _, g in found if not g.tests))
        out = [
            {
                "id": item.id,
                "clause": item.clause,
                "label": f"{item.label}; wetted parts of {', '.join(m.replace('_', ' ') for m in plain)}",
                "all": [*head, {**wetted, "one_of": plain}],
            }
        ]
        for n, (ref, group) in enumerate(((r, g) for r, g in found if g.tests), start=1):
            tests = [self.test(t, f"materials.{ref}", ref) for t in group.tests]
            limits = ", ".join(_describe(t) for t in tests)
            out.append(
                {
                    "id": f"{item.id}_{group.material}_{n}",
                    "clause": item.clause,
                    "label": f"{item.label}; wetted parts of {group.material.replace('_', ' ')} ({limits})",
                    "all": [
                        *head,
                        {"parameter": item.material_parameter, "equals": group.material, "clause": ref},
                        *tests,
                    ],
                }
            )
        return out

    def value(self) -> dict[str, Any]:
        r = self.recipe
        value: dict[str, Any] = {
            "clause": r.clause,
            "sources": r.sources,
            "any": [b for item in r.items for b in self.branches(item)],
        }
        if r.exceptions:
            value["exceptions"] = [
                {"id": e.id, "clause": e.clause, "label": e.label, "overrides": e.overrides,
                 "all": [self.test(t, f"exceptions.{e.id}") for t in e.tests]}
                for e in r.exceptions
            ]  # fmt: skip
        return value


def build_sheet(path: Path, ordinance: GoodsOrdinance) -> dict[str, Any]:
    """The sheet a recipe file makes from the ordinance's clause text: one value from ``in_force`` and one from each
    ``reread`` date, each read against the text in force on its date."""
    label = f"goods_ordinance/recipes/{path.name}"
    r = validate(Recipe, read_yaml(path, label), label)
    days = (r.in_force, *r.reread)
    return {
        "entry": r.entry,
        "label": r.label,
        "label_local": r.label_local,
        "kind": r.kind,
        "values": {day.isoformat(): _Builder(r, ordinance, label, day).value() for day in days},
    }


class _Dumper(yaml.SafeDumper):
    """Writes repeated tests out in full (no anchors), so each branch reads on its own."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_sheet(path: Path, sheet: dict[str, Any]) -> str:
    """The sheet file's text: a header naming its recipe, then the YAML."""
    body = yaml.dump(sheet, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
    return f"# Generated by scripts/gen_sheets.py from goods_ordinance/recipes/{path.name}: edit the recipe.\n{body}"
