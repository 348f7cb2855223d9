"""Write the parameter sheets that recipes generate from the imported Goods Ordinance text.

usage: .venv/bin/python scripts/gen_sheets.py

For every src/clearance/regulations/jp/goods_ordinance/recipes/<entry>.yaml, writes sheets/<entry>.yaml (see
clearance.classify.recipes). tests/classify/test_recipes.py fails when a bundled sheet differs from its recipe's.
"""

from __future__ import annotations

from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.recipes import RECIPES, build_sheet, dump_sheet
from clearance.classify.sheets import SHEETS


def main() -> None:
    ordinance = GoodsOrdinance()
    for recipe in sorted(RECIPES.glob("*.yaml")):
        (SHEETS / recipe.name).write_text(dump_sheet(recipe, build_sheet(recipe, ordinance)), encoding="utf-8")
        print(f"wrote goods_ordinance/sheets/{recipe.name}")


if __name__ == "__main__":
    main()
