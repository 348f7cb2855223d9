"""Files as Excel and a Japanese or Korean ERP write them (issue 15): CP932 with Japanese headers, UTF-8 with a BOM
and CRLF, EUC-KR with Korean headers, workbooks with title rows, merged cells, totals rows and number formats,
full-width digits and 令和 dates; each read with every row accounted for. And the outputs Excel opens well."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from clearance.classify.tabular import read_catalogue
from clearance.errors import InputError
from clearance.impact.portfolio import Order, read_portfolio
from clearance.screening.service import read_batch
from clearance.tables import read_table, write_rows
from support import ROOT, run_cli

PORTFOLIO = ROOT / "examples" / "portfolio"
#: The Japanese headers of an ERP's order export, in the order of the example's columns.
ORDER_HEADERS_JA = ["受注番号", "品番", "顧客コード", "数量", "単位", "金額", "通貨", "出荷日"]
CUSTOMER_HEADERS_JA = ["顧客コード", "顧客名", "国", "用途", "インフォーム"]
COUNTRY_JA = {"KR": "韓国", "CN": "中国", "DE": "独", "US": "アメリカ"}
#: End uses and yes/no as a Japanese sheet writes them (data/values.yaml).
END_USE_JA = {"civil": "民生", "wmd": "大量破壊兵器", "conventional_weapons": "軍事", "unknown": "不明"}
FLAG_JA = {"true": "はい", "false": "いいえ"}


def _example(name: str) -> list[dict[str, str]]:
    with (PORTFOLIO / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _as_typed(order: dict[str, str], number: int) -> list[str]:
    """An order as people type it: grouped digits, yen signs, full-width digits, slashes and 令和 dates."""
    value, date = int(order["value"]), dt.date.fromisoformat(order["ship_date"])
    values = [
        f"{value:,}",
        f"¥{value:,}",
        f"{value}",
        f"{value:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，")),
    ]
    reiwa = f"令和{'元' if date.year == 2019 else date.year - 2018}年{date.month}月{date.day}日"
    dates = [
        f"{date.year}/{date.month}/{date.day}",
        date.strftime("%Y/%m/%d"),
        f"{date.year}年{date.month}月{date.day}日",
    ]
    dates.append(reiwa if date >= dt.date(2019, 5, 1) else date.isoformat())
    quantity = f"{int(order['quantity']):,}"
    return [
        order["order_id"],
        order["part_number"],
        order["customer_id"],
        quantity,
        order["unit"],
        values[number % 4],
        order["currency"],
        dates[number % 4],
    ]


def _erp_folder(folder: Path) -> Path:
    """The example portfolio as a Japanese ERP exports it: CP932 CSVs with Japanese headers, CRLF line ends,
    country names, end uses and yes/no in words, grouped numbers with yen signs and Japanese dates."""
    folder.mkdir()
    shutil.copy(PORTFOLIO / "catalogue.csv", folder / "catalogue.csv")
    customers = [CUSTOMER_HEADERS_JA] + [
        [c["customer_id"], c["name"], COUNTRY_JA[c["country"]], END_USE_JA[c["end_use"]], FLAG_JA[c["informed"]]]
        for c in _example("customers.csv")
    ]
    orders = [ORDER_HEADERS_JA] + [_as_typed(o, n) for n, o in enumerate(_example("orders.csv"))]
    for name, rows in (("customers.csv", customers), ("orders.csv", orders)):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        # CP932 has no ¥ of its own: it is byte 0x5C, which Python reads back as a backslash
        (folder / name).write_bytes(buffer.getvalue().replace("¥", "\\").encode("cp932"))
    return folder


def test_a_cp932_export_with_japanese_headers_reads_as_the_example(tmp_path: Path) -> None:
    plain, erp = read_portfolio(PORTFOLIO), read_portfolio(_erp_folder(tmp_path / "erp"))
    assert erp.problems == ()
    assert erp.customers == plain.customers
    assert erp.orders == plain.orders and len(erp.orders) == 36
    assert "customers.csv: read as Shift_JIS (CP932)" in erp.notes


def test_a_bom_utf8_crlf_file_reads_the_same(tmp_path: Path) -> None:
    folder = _erp_folder(tmp_path / "erp")
    for name in ("customers.csv", "orders.csv"):
        path = folder / name
        text = path.read_bytes().decode("cp932").replace("\\", "¥")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    erp = read_portfolio(folder)
    assert erp.problems == () and erp.orders == read_portfolio(PORTFOLIO).orders
    assert "orders.csv: read as UTF-8 with BOM" in erp.notes


def test_korean_headers_in_euc_kr_are_read(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    text = "고객명,국가,별칭\r\n한빛반도체,한국,Hanbit Semiconductor\r\n대한디스플레이,대한민국,\r\n"
    path.write_bytes(text.encode("cp949"))
    rows = list(read_batch(path))
    assert [r.error for r in rows] == [None, None]
    assert [(r.row, r.query and r.query.names, r.query and r.query.countries) for r in rows] == [
        (2, ("한빛반도체", "Hanbit Semiconductor"), ("kr",)),
        (3, ("대한디스플레이",), ("kr",)),
    ]
    assert read_table(path, "parties", ("name", "country", "aliases")).encoding == "EUC-KR (CP949)"


def _orders_workbook(path: Path) -> None:
    """Orders as a person keeps them in Excel: a title and a blank row above the header, the customer code merged
    down over that customer's orders, numbers and dates as typed cells with formats, and a totals row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "受注一覧"
    sheet.append(["受注残一覧（2019年7月）"])
    sheet.append([])
    sheet.append(ORDER_HEADERS_JA)
    orders = sorted(_example("orders.csv"), key=lambda o: o["customer_id"])
    for order in orders:
        sheet.append(
            [
                order["order_id"],
                order["part_number"],
                order["customer_id"],
                int(order["quantity"]),
                order["unit"],
                int(order["value"]),
                order["currency"],
                dt.datetime.fromisoformat(order["ship_date"]),
            ]
        )
        sheet.cell(sheet.max_row, 6).number_format = "#,##0"
        sheet.cell(sheet.max_row, 8).number_format = "yyyy/m/d"
    first = 4
    for _, group in itertools.groupby(range(len(orders)), key=lambda i: orders[i]["customer_id"]):
        rows = [first + i for i in group]
        if len(rows) > 1:  # the customer code once, merged down over the customer's orders
            for row in rows[1:]:
                sheet.cell(row, 3).value = None
            sheet.merge_cells(start_row=rows[0], end_row=rows[-1], start_column=3, end_column=3)
    last = first + len(orders) - 1
    sheet.append(["合計", None, None, f"=SUM(D{first}:D{last})", None, f"=SUM(F{first}:F{last})"])
    book.save(path)


def test_a_workbook_with_a_title_merged_cells_and_a_totals_row(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copy(PORTFOLIO / "catalogue.csv", folder / "catalogue.csv")
    shutil.copy(PORTFOLIO / "customers.csv", folder / "customers.csv")
    _orders_workbook(folder / "orders.xlsx")
    merged = load_workbook(folder / "orders.xlsx").active
    assert merged is not None and merged.merged_cells.ranges, "the test workbook has merged cells"
    book, plain = read_portfolio(folder), read_portfolio(PORTFOLIO)
    assert book.problems == ()
    assert sorted((o for _, o in book.orders), key=str) == sorted((o for _, o in plain.orders), key=str)
    assert [n for n, _ in book.orders] == list(range(4, 40)), "row numbers are the sheet's"
    table = read_table(folder / "orders.xlsx", "orders", tuple(Order.model_fields))
    assert table.header_row == 3 and table.sheet == "受注一覧"
    assert [(s.row, s.kind) for s in table.skipped] == [(1, "title"), (2, "blank"), (40, "totals")]
    notes = "\n".join(book.notes)
    assert "orders.xlsx [受注一覧]: header found in row 3; title rows above it skipped (row 1)" in notes
    assert "orders.xlsx [受注一覧]: row 40 is a totals row, not an order or record: skipped (合計" in notes


def test_every_row_is_read_or_accounted_for(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    lines = [
        "受注残一覧",
        "受注番号,品番,顧客コード,数量,金額,通貨,出荷日,備考",
        'SO-1,P-1,C-1,1,"8,000,000",JPY,2019/7/5,急ぎ',
        ",,,,,,,",
        "SO-2,P-1,C-1,１２,￥１，２００,,令和元年７月１０日,",
        '総計,,,13,"8,001,200",,,',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path, "orders", tuple(Order.model_fields))
    accounted = sorted([n for n, _ in table.rows] + [s.row for s in table.skipped] + [2])
    assert accounted == list(range(1, len(lines) + 1))
    assert table.unknown_columns == ("備考",) and "orders.csv: columns not used: 備考" in table.notes()
    orders = [Order.model_validate({k: v for k, v in row.items() if v}) for _, row in table.rows]
    assert [(o.quantity, o.value, o.currency, o.ship_date) for o in orders] == [
        (Decimal(1), Decimal(8000000), "JPY", dt.date(2019, 7, 5)),
        (Decimal(12), Decimal(1200), "JPY", dt.date(2019, 7, 10)),
    ]


def test_a_bad_cell_is_named_by_file_sheet_row_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copy(PORTFOLIO / "catalogue.csv", folder / "catalogue.csv")
    shutil.copy(PORTFOLIO / "customers.csv", folder / "customers.csv")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "orders"
    sheet.append(["注文一覧"])
    sheet.append(ORDER_HEADERS_JA)
    sheet.append(["SO-1", "SMC-HF-G5N", "C-KR-01", 1, "cyl", "8.000.000", "JPY", "2019/7/5"])
    book.save(folder / "orders.xlsx")
    (problem,) = read_portfolio(folder).problems
    assert (problem.file, problem.sheet, problem.row, problem.field) == ("orders.xlsx", "orders", 3, "value")
    assert problem.values["value"] == "8.000.000"
    assert str(problem).startswith("orders.xlsx [orders]: row 3: value: '8.000.000' is not a number")


def test_a_catalogue_with_japanese_headers_in_cp932(tmp_path: Path) -> None:
    source = (PORTFOLIO / "catalogue.csv").read_text(encoding="utf-8").splitlines()
    header = "品番,品名,HSコード,CAS番号,種別,法令,該非,項番,条項,判定者,判定日,根拠"
    path = tmp_path / "catalogue.csv"
    path.write_bytes("\r\n".join(["製品該非判定一覧", header, *source[1:]]).encode("cp932", errors="replace"))
    japanese, plain = read_catalogue(path), read_catalogue(PORTFOLIO / "catalogue.csv")
    assert japanese.problems == () and list(japanese.catalogue) == list(plain.catalogue)
    assert "catalogue.csv: read as Shift_JIS (CP932)" in japanese.notes


def test_an_unreadable_encoding_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(InputError, match=r"orders.csv: not text in a known encoding .*Shift_JIS \(CP932\)"):
        read_table(path, "orders")


# -- outputs -----------------------------------------------------------------------------------------------


def test_csv_output_has_a_bom_for_excel_unless_asked_not_to(tmp_path: Path) -> None:
    rows = [{"item": "貨物等省令", "value": Decimal("8000000")}]
    write_rows(tmp_path / "a.csv", ("item", "value"), rows)
    write_rows(tmp_path / "b.csv", ("item", "value"), rows, bom=False)
    assert (tmp_path / "a.csv").read_bytes() == "\ufeffitem,value\r\n貨物等省令,8000000\r\n".encode()
    assert (tmp_path / "b.csv").read_bytes() == "item,value\r\n貨物等省令,8000000\r\n".encode()


def test_xlsx_output_has_typed_cells_a_named_sheet_a_filter_and_a_frozen_header(tmp_path: Path) -> None:
    rows = [
        {"order_id": "SO-1", "part_number": "0303", "value": Decimal("8000000"), "ship_date": dt.date(2019, 7, 5)},
        {"order_id": "SO-2", "part_number": "P-2", "value": "", "ship_date": None},
    ]
    path = tmp_path / "out.xlsx"
    write_rows(path, ("order_id", "part_number", "value", "ship_date"), rows, sheet="impact", labels={"value": "金額"})
    sheet = load_workbook(path)["impact"]
    assert [c.value for c in sheet[1]] == ["order_id", "part_number", "金額", "ship_date"]
    assert [c.value for c in sheet[2]] == ["SO-1", "0303", 8000000, dt.datetime(2019, 7, 5)]
    assert sheet["B2"].data_type == "s" and sheet["C2"].data_type == "n" and sheet["D2"].is_date
    assert [c.value for c in sheet[3]] == ["SO-2", "P-2", None, None]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"
    assert sheet["A1"].font.b and sheet.column_dimensions["C"].width >= len("8000000")


def test_impact_csv_for_excel_by_default_and_without_a_bom_on_request(tmp_path: Path) -> None:
    common = ("impact", "--portfolio", str(PORTFOLIO), "--before", "2019-07-01", "--after", "2019-07-10")
    for flag, start in (((), b"\xef\xbb\xbffile,position,"), (("--no-bom",), b"file,position,")):
        out = tmp_path / f"lines{len(flag)}.csv"
        ran = run_cli(*common, "-o", str(out), *flag)
        assert ran.returncode == 0, ran.stderr
        assert out.read_bytes().startswith(start)
