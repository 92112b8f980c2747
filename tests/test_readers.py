"""Reading exports: encodings, preambles, ragged rows, damage, garbage."""

from __future__ import annotations

import codecs

import pytest

from core.errors import FileRejected
from etl.readers import read_table, unique_headers


def rows(table) -> list[tuple]:
    return table.con.execute(f"select * from {table.name} order by _source_row").fetchall()


def test_utf8_bom_and_quoted_newline(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + b'id,text\n1,"two\nlines"\n2,plain\n')
    table = read_table(path)
    assert table.headers == ["id", "text"]
    # Spreadsheet rows: header is row 1, the multi-line record is row 2.
    assert rows(table) == [(2, "1", "two\nlines"), (3, "2", "plain")]


def test_utf16_with_sep_and_title_lines(tmp_path):
    text = 'sep=,\n"Facebook reach"\n"Date","Primary"\n"2025-01-01T01:00:00","16"\n'
    path = tmp_path / "Reach.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    table = read_table(path)
    assert table.encoding == "utf-16"
    assert table.title_lines == ["Facebook reach"]
    assert table.headers == ["Date", "Primary"]
    assert table.header_row == 3
    assert rows(table) == [(4, "2025-01-01T01:00:00", "16")]


def test_ragged_rows_are_padded(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n6,7,8\n", encoding="utf-8")
    assert rows(read_table(path)) == [(2, "1", "2", "3"), (3, "4", "5", None), (4, "6", "7", "8")]


def test_duplicate_and_blank_headers_are_told_apart():
    assert unique_headers(["Views", "Reach", "Views", "", "views"]) == [
        "Views",
        "Reach",
        "Views (2)",
        "column_4",
        "views (3)",
    ]


def test_urdu_pashto_and_emoji_kept_exactly(tmp_path):
    text = "id,summary\n1,پولیس سٹیشن میں شکایت 🙏\n2,زما شکایت\n"
    path = tmp_path / "u.csv"
    path.write_text(text, encoding="utf-8")
    assert [r[2] for r in rows(read_table(path))] == ["پولیس سٹیشن میں شکایت 🙏", "زما شکایت"]


def test_cp1252_fallback(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes("id,name\n1,Caf\xe9\n".encode("latin-1"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert rows(table) == [(2, "1", "Café")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"id,name\n", "no data rows"),
        (b"\x00\x01\x02garbage\xff\xfe\x00", "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected) as error:
        read_table(path)
    assert message in str(error.value)
    assert str(error.value).startswith("bad.csv")


def test_xlsx_datetimes_become_iso_text(tmp_path):
    from datetime import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["inquiry_id", "received_at", "count"])
    sheet.append(["K-1", datetime(2025, 3, 4, 10, 5), 3])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    assert rows(read_table(path)) == [(2, "K-1", "2025-03-04 10:05:00", "3")]
