"""The demo generator: deterministic, realistic, and in the formats a cell hands in.

Everything is checked from the written files with plain pandas, as a reader
who has never seen ``etl/demo/`` would: the ETL is not involved.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core import vocab
from core.config import DATA_DIR, REFERENCE_DIR
from etl import demo

END = date(2025, 11, 28)
SMALL = {"end_date": END, "months": 5, "daily_volume": 60.0}
TIMES = [c for c in demo.INQUIRY_COLUMNS if c.endswith("_at")]
MERGED = {"Khyber", "Mohmand", "Bajaur", "Orakzai", "Kurram", "North Waziristan",
          "Upper South Waziristan", "Lower South Waziristan"}  # fmt: skip


# ---------------------------------------------------------------------------
# Reading the files as anyone would


def _fold(value: object) -> str:
    return vocab.fold(value)


def _district_table() -> dict[str, str]:
    ref = pd.read_csv(REFERENCE_DIR / "kp_districts.csv", dtype=str, keep_default_na=False)
    table: dict[str, str] = {}
    units = ref["census_unit"].value_counts()
    for row in ref.itertuples(index=False):
        names = [row.district, *[a for a in row.aliases.split(";") if a.strip()]]
        if units[row.census_unit] == 1:
            names.append(row.census_unit)
        for name in names:
            table[_fold(name)] = row.district
    return table


DISTRICTS = _district_table()


def _excel_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def read_register(path: Path) -> pd.DataFrame:
    """A register file as text, with its spreadsheet row numbers (header = 1)."""
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, sheet_name=0, dtype=object)
        frame = frame.apply(lambda column: column.map(_excel_text))
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame["file"] = path.name
    frame["row"] = np.arange(2, len(frame) + 2)
    return frame


def read_registers(directory: Path) -> pd.DataFrame:
    files = sorted(directory.glob("inquiry_register_*"))
    return pd.concat([read_register(p) for p in files], ignore_index=True)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical vocabularies and parsed times, as the ETL would read them."""
    out = frame.copy()
    tables = {
        "channel": vocab.lookup_table(vocab.CHANNELS, vocab.CHANNEL_ALIASES),
        "category": vocab.lookup_table(vocab.CATEGORIES, vocab.CATEGORY_ALIASES),
        "requester_gender": vocab.lookup_table(vocab.GENDERS, vocab.GENDER_ALIASES),
        "language": vocab.lookup_table(vocab.LANGUAGES, vocab.LANGUAGE_ALIASES),
        "status": vocab.lookup_table(vocab.STATUSES, vocab.STATUS_ALIASES),
        "satisfaction": vocab.lookup_table(vocab.SATISFACTION, vocab.SATISFACTION_ALIASES),
        "priority": vocab.lookup_table(vocab.PRIORITIES, vocab.PRIORITY_ALIASES),
    }
    for column, table in tables.items():
        out[column] = frame[column].map(lambda v, t=table: t.get(_fold(v)))
    out["district"] = frame["district"].map(lambda v: DISTRICTS.get(_fold(v)) if v else "")
    for column in TIMES:
        out[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d %H:%M",
                                     errors="coerce")  # fmt: skip
    return out


def latest(frame: pd.DataFrame, planted: list[demo.PlantedRow]) -> pd.DataFrame:
    """One row per item, the re-export winning, planted bad rows left out."""
    bad = {(b.file_name, b.source_row) for b in planted}
    keep = ~pd.Series([(f, r) in bad for f, r in zip(frame["file"], frame["row"], strict=True)])
    frame = frame[keep.to_numpy()].copy()
    frame["_later"] = frame["file"].str.contains("reexport")
    frame = frame.sort_values("_later", kind="stable")
    return frame.drop_duplicates("inquiry_id", keep="last").drop(columns="_later")


def read_events(directory: Path) -> pd.DataFrame:
    events = pd.read_csv(next(directory.glob("response_events_*.csv")), dtype=str)
    events["at"] = pd.to_datetime(events["at"], format="%Y-%m-%d %H:%M:%S")
    return events


def with_events(items: pd.DataFrame, directory: Path) -> pd.DataFrame:
    """Fill step times from the events log as the warehouse does: earliest
    event for the steps, latest for resolution and reopening."""
    events = read_events(directory)
    first = events.pivot_table(index="inquiry_id", columns="event", values="at", aggfunc="min")
    last = events.pivot_table(index="inquiry_id", columns="event", values="at", aggfunc="max")
    out = items.copy()
    out["logged"] = out["inquiry_id"].isin(first.index)
    for event, column in vocab.EVENTS.items():
        if event == "received":
            continue
        source = last if event in ("resolved", "reopened") else first
        if event in source:
            values = out["inquiry_id"].map(source[event]).dt.floor("min")
            out[column] = values.where(out["logged"], out[column])
    return out


# ---------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo_small")
    calls: list[tuple[float, str]] = []
    paths = demo.write_demo_files(out, progress=lambda f, m: calls.append((f, m)), **SMALL)
    data = demo.generate_demo(**SMALL)
    raw = read_registers(out)
    items = with_events(canonical(latest(raw, data.bad_rows)), out)
    return {"dir": out, "paths": paths, "data": data, "raw": raw, "items": items,
            "calls": calls}  # fmt: skip


# ---------------------------------------------------------------------------
# Determinism and formats


def test_same_arguments_give_byte_identical_files(tmp_path):
    options = {"end_date": date(2025, 3, 15), "months": 3, "daily_volume": 25.0}
    first = demo.write_demo_files(tmp_path / "a", **options)
    second = demo.write_demo_files(tmp_path / "b", **options)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = demo.write_demo_files(tmp_path / "c", seed=7, **options)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]


def test_file_set_names_and_progress(small):
    names = [p.name for p in small["paths"]]
    assert all(p.parent == small["dir"] for p in small["paths"])
    assert sorted(names) == sorted(p.name for p in small["dir"].iterdir())
    xlsx = [n for n in names if n.endswith(".xlsx")]
    monthly = [n for n in names if re.fullmatch(r"inquiry_register_\d{4}-\d{2}\.csv", n)]
    assert xlsx and all(re.fullmatch(r"inquiry_register_FY\d{4}-\d{2}\.xlsx", n) for n in xlsx)
    assert len(monthly) >= 3
    assert f"inquiry_register_reexport_{END.isoformat()}.csv" in names
    assert sum(n.startswith("response_events_") for n in names) == 1
    fractions = [f for f, _ in small["calls"]]
    assert len(fractions) >= 4 and fractions == sorted(fractions) and fractions[-1] == 1.0


def test_register_csvs_are_excel_csv_utf8_with_the_template_header(small):
    header = ",".join(demo.INQUIRY_COLUMNS)
    for path in small["dir"].glob("inquiry_register_*.csv"):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf" + header.encode() + b"\r\n"), path.name
        assert data.count(b"\r\n") >= data.count(b"\n") - 10  # CRLF (a few line breaks in text)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert list(frame.columns) == list(demo.INQUIRY_COLUMNS)
        stamps = frame["received_at"][frame["received_at"].str.match(r"\d{4}-")]
        assert stamps.str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}").all()


def test_register_workbooks_hold_real_excel_datetimes(small):
    for path in small["dir"].glob("*.xlsx"):
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = wb.worksheets[0].iter_rows(values_only=True)
        assert list(next(rows)) == list(demo.INQUIRY_COLUMNS)
        first = next(rows)
        assert isinstance(first[1], datetime)
        assert isinstance(first[0], str) and re.fullmatch(r"KPMC-\d{4}-\d{6}", first[0])
        wb.close()


def _unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_templates_are_the_generators_header_and_in_sync():
    templates = DATA_DIR / "templates"
    for name, content in demo.template_files().items():
        shipped = (templates / name).read_bytes()
        if name.endswith(".xlsx"):  # compare what is inside, not the deflate stream
            shipped, content = _unzipped(shipped), _unzipped(content)
        assert shipped == content, f"{name} is stale: run etl.demo.write_templates"
    for stem, columns, descriptions in (
        ("inquiry_register", demo.INQUIRY_COLUMNS, demo.INQUIRY_DESCRIPTIONS),
        ("response_events", demo.EVENT_COLUMNS, demo.EVENT_DESCRIPTIONS),
    ):
        csv = pd.read_csv(templates / f"{stem}.csv", encoding="utf-8-sig")
        assert list(csv.columns) == list(columns) and csv.empty
        wb = openpyxl.load_workbook(templates / f"{stem}.xlsx")
        assert wb.sheetnames[:2] == ["Register", "Columns"]
        register = list(wb["Register"].iter_rows(values_only=True))
        assert register == [tuple(columns)]
        described = {row[0]: row[1] for row in wb["Columns"].iter_rows(min_row=2, values_only=True)}
        assert described == {c: descriptions[c] for c in columns}
        readme = (templates / "README.md").read_text(encoding="utf-8")
        assert all(f"`{c}`" in readme for c in columns)


def test_inquiry_ids_have_the_register_format(small):
    ids = small["raw"]["inquiry_id"]
    assert ids.str.fullmatch(r"KPMC-\d{4}-\d{6}").all()
    items = small["items"]
    yymm = items["received_at"].dt.strftime("%y%m")
    assert (items["inquiry_id"].str[5:9] == yymm).all()


# ---------------------------------------------------------------------------
# Realism


def test_every_district_present_and_volume_follows_population(small):
    items = small["items"]
    named = items.loc[items["district"] != "", "district"]
    assert named.notna().all()
    assert named.nunique() == 36
    census = pd.read_csv(REFERENCE_DIR / "kp_census_2023.csv")
    ref = pd.read_csv(REFERENCE_DIR / "kp_districts.csv", dtype=str, keep_default_na=False)
    population = ref["census_unit"].map(census.set_index("census_unit")["population"])
    population = population / ref["census_unit"].map(ref["census_unit"].value_counts())
    expected = pd.Series(population.to_numpy(), index=ref["district"]) / population.sum()
    crisis_week = items["received_at"].dt.date.between(
        small["data"].crisis_start, small["data"].crisis_start + timedelta(days=6)
    )
    share = named[~crisis_week[named.index]].value_counts(normalize=True)
    for district in ("Peshawar", "Mardan", "Swat", "Dera Ismail Khan", "Abbottabad"):
        assert share[district] == pytest.approx(expected[district], rel=0.25), district
    assert 0.07 <= (items["district"] == "").mean() <= 0.13


def test_channel_language_gender_and_category_mixes(small):
    items = small["items"][~small["items"]["status"].isin(["spam", "duplicate"])]
    channel = items["channel"].value_counts(normalize=True)
    assert set(channel.index) == set(vocab.CHANNELS)
    assert channel.index[0] == "Facebook" and channel["Facebook"] > 0.25
    assert channel["WhatsApp"] > channel["X"] > channel["Helpline phone"] * 0.8
    assert channel[list(vocab.SOCIAL_CHANNELS)].sum() > 0.6

    language = items["language"].value_counts(normalize=True)
    assert language["Urdu"] + language["Pashto"] >= 0.7
    assert 0.04 <= language["English"] <= 0.15
    for minor in ("Hindko", "Saraiki", "Chitrali"):
        assert 0.001 <= language[minor] <= 0.08, minor
    hazara = {"Abbottabad", "Mansehra", "Haripur", "Battagram", "Torghar"}
    assert items.loc[items["language"] == "Hindko", "district"].isin(hazara | {""}).mean() > 0.6
    dik = {"Dera Ismail Khan", "Tank"}
    assert items.loc[items["language"] == "Saraiki", "district"].isin(dik | {""}).mean() > 0.8
    chitral = {"Lower Chitral", "Upper Chitral"}
    assert items.loc[items["language"] == "Chitrali", "district"].isin(chitral).all()

    gender = items["requester_gender"].value_counts(normalize=True)
    assert 0.12 <= gender["female"] <= 0.18
    assert 0.0003 <= gender["transgender"] <= 0.006
    assert 0.10 <= gender["unknown"] <= 0.20

    category = items["category"].value_counts(normalize=True)
    assert category["complaint"] + category["inquiry"] >= 0.65
    assert 0.02 <= category["information_request"] <= 0.10
    assert 0.005 <= category["emergency"] <= 0.05
    assert items["priority"].notna().all()


def test_weekly_and_daily_rhythm_and_growth(small):
    items = small["items"]
    received = items["received_at"]
    per_weekday = received.dt.day_of_week.value_counts()
    assert per_weekday[6] < 0.8 * per_weekday[[0, 1, 2, 3]].mean()  # Sunday
    hour = received.dt.hour.value_counts()
    assert hour[[10, 11, 12, 13]].mean() > 5 * hour[[2, 3, 4]].mean()
    months = received.dt.to_period("M").value_counts().sort_index()
    full = months.iloc[1:-1]
    assert full.iloc[-1] > full.iloc[0]


def test_response_times_are_realistic(small):
    items = small["items"]
    social = items["channel"].isin(vocab.SOCIAL_CHANNELS)
    reply = (items["first_response_at"] - items["received_at"]).dt.total_seconds() / 60
    received = items["received_at"]
    day = received.dt.day_of_week
    daytime = received.dt.hour.between(9, 15)
    staffed = social & daytime & day.isin([0, 1, 2, 3, 5])
    assert 8 <= reply[staffed].median() <= 22
    night = social & ((received.dt.hour >= 22) | (received.dt.hour < 6))
    assert reply[night].median() > 4 * reply[staffed].median()
    friday = social & daytime & (day == 4)
    assert reply[friday].median() > reply[staffed].median()
    ack = (items["field_ack_at"] - items["referred_at"]).dt.total_seconds() / 3600
    merged = items["district"].isin(MERGED)
    settled = ~merged & (items["district"] != "")
    assert ack[merged].median() > 1.3 * ack[settled].median()
    referred = items["referred_at"].notna() | items["referred_to"].ne("")
    share = referred[~items["status"].isin(["spam", "duplicate", "no_reply_needed"])].mean()
    assert 0.35 <= share <= 0.55


def test_timestamps_are_ordered_and_before_the_end_date(small):
    items = small["items"]
    end = pd.Timestamp(END)
    for column in TIMES:
        values = items[column].dropna()
        assert (values < end).all(), column
        assert (values >= pd.Timestamp(END) - pd.DateOffset(months=5) - pd.Timedelta(days=1)).all()
    assert items["received_at"].notna().all()
    pairs = [("first_response_at", "received_at"), ("referred_at", "first_response_at"),
             ("field_ack_at", "referred_at"), ("field_report_at", "field_ack_at"),
             ("resolved_at", "received_at"), ("resolved_at", "first_response_at"),
             ("reopened_at", "received_at")]  # fmt: skip
    for later, earlier in pairs:
        both = items[later].notna() & items[earlier].notna()
        assert (items.loc[both, later] >= items.loc[both, earlier]).all(), (later, earlier)
    referred_and_resolved = items["field_report_at"].notna() & items["resolved_at"].notna()
    reopened = items["reopened_at"].notna()
    ok = items.loc[referred_and_resolved & ~reopened]
    assert (ok["resolved_at"] >= ok["field_report_at"]).all()


def test_statuses_agree_with_timestamps(small):
    items = small["items"]
    status = items["status"]
    assert status.notna().all()
    resolved = status.isin(["resolved", "closed"])
    assert items.loc[resolved, "resolved_at"].notna().all()
    assert items.loc[status == "open", ["first_response_at", "resolved_at"]].isna().all().all()
    assert items.loc[status == "reopened", "reopened_at"].notna().all()
    spam = status == "spam"
    assert 0.003 <= spam.mean() <= 0.02
    assert items.loc[spam, "first_response_at"].isna().all()
    no_reply = status == "no_reply_needed"
    assert (items.loc[no_reply, "category"] == "feedback").mean() > 0.7
    reopen_rate = items["reopened_at"].notna().sum() / items["resolved_at"].notna().sum()
    assert 0.01 <= reopen_rate <= 0.05
    surveyed = items["satisfaction"].notna()
    assert 0.2 <= surveyed.sum() / resolved.sum() <= 0.4
    satisfied = (items.loc[surveyed, "satisfaction"] == "satisfied").mean()
    assert 0.72 <= satisfied <= 0.88
    # Open items are recent, and some of them are overdue.
    still_open = status.isin(["open", "in_progress", "referred", "reopened"])
    age = pd.Timestamp(END) - items.loc[still_open, "received_at"]
    assert (age < pd.Timedelta(days=30)).mean() > 0.7
    assert (age > pd.Timedelta(days=3)).sum() >= 5


def test_summaries_mix_scripts_and_keep_a_formula_as_text(small):
    summary = small["raw"]["summary"]
    assert summary.str.contains(r"[\u0600-\u06FF]").mean() > 0.2  # Urdu / Pashto script
    assert summary.str.contains(r"^[A-Za-z]").mean() > 0.2
    assert summary.str.contains("[\U0001f300-\U0001faff]").any()  # emoji
    assert (summary == demo.FORMULA_PAYLOAD).sum() == 1
    payload_file = small["raw"].loc[summary == demo.FORMULA_PAYLOAD, "file"].iloc[0]
    assert payload_file.endswith(".csv")


def test_personal_data_are_fake_but_well_formed(small):
    raw = small["raw"]
    phone = raw["requester_phone"][raw["requester_phone"] != ""]
    assert phone.str.fullmatch(r"03\d{2}-00\d{5}").all() and len(phone) > 100
    cnic = raw["requester_cnic"][raw["requester_cnic"] != ""]
    assert cnic.str.fullmatch(r"\d{5}-0000\d{3}-\d").all() and len(cnic) > 10
    email = raw["requester_email"][raw["requester_email"] != ""]
    assert email.str.fullmatch(r"[a-z0-9.]+@example\.(com|org|net)").all()


# ---------------------------------------------------------------------------
# The events log and the re-export


def test_events_log_carries_the_helpline_steps(small):
    events_path = next(small["dir"].glob("response_events_*.csv"))
    assert not events_path.read_bytes().startswith(b"\xef\xbb\xbf")
    events = pd.read_csv(events_path, dtype=str, keep_default_na=False)
    assert list(events.columns) == list(demo.EVENT_COLUMNS)
    assert set(events["event"]) == set(vocab.EVENTS)
    events["at"] = pd.to_datetime(events["at"], format="%Y-%m-%d %H:%M:%S")
    assert (events["at"] < pd.Timestamp(END)).all()

    raw = small["raw"]
    logged = raw[raw["inquiry_id"].isin(set(events["inquiry_id"]))]
    channel = canonical(logged)["channel"]
    assert channel.isin(demo.EVENT_CHANNELS).all()
    share = events["inquiry_id"].nunique() / small["items"]["inquiry_id"].nunique()
    assert 0.07 <= share <= 0.15
    steps = [c for c in TIMES if c != "received_at"]
    assert (logged[steps] == "").all().all()
    assert (logged["received_at"] != "").all()

    first = events.pivot_table(index="inquiry_id", columns="event", values="at", aggfunc="min")
    last = events.pivot_table(index="inquiry_id", columns="event", values="at", aggfunc="max")
    received = first["received"]
    assert (first["first_response"].dropna() >= received[first["first_response"].notna()]).all()
    both = first["field_ack"].notna()
    assert (first.loc[both, "field_ack"] >= first.loc[both, "referred"]).all()
    done = last["resolved"].notna()
    assert (last.loc[done, "resolved"] >= received[done]).all()
    # The register's received_at is the event's, to the minute.
    register = logged.drop_duplicates("inquiry_id", keep="last").set_index("inquiry_id")
    register_received = pd.to_datetime(register["received_at"], format="%Y-%m-%d %H:%M")
    assert (register_received == received.dt.floor("min")[register.index]).all()
    # Items the register calls resolved have a resolution event.
    resolved_ids = small["items"].loc[
        small["items"]["status"].isin(["resolved", "closed"])
        & small["items"]["channel"].isin(demo.EVENT_CHANNELS),
        "inquiry_id",
    ]
    assert resolved_ids.isin(last.index[done]).all()


def test_reexport_updates_items_that_were_open(small):
    raw = small["raw"]
    again = raw[raw["file"].str.contains("reexport")].set_index("inquiry_id")
    before = raw[~raw["file"].str.contains("reexport")].set_index("inquiry_id")
    common = again.index.intersection(before.index)
    assert len(common) > 50
    assert len(again.index.difference(before.index)) > 10  # items that came in since
    changed = before.loc[common, "status"] != again.loc[common, "status"]
    assert changed.sum() >= 5
    newly = again.loc[common[changed.to_numpy()], "status"].isin(["resolved", "closed"])
    assert newly.sum() >= 3
    dates = pd.to_datetime(again["received_at"], format="%Y-%m-%d %H:%M")
    assert dates.min() >= pd.Timestamp(END) - pd.Timedelta(days=22)


# ---------------------------------------------------------------------------
# The crisis week


def test_crisis_week_spike_and_backlog(small):
    data, items = small["data"], small["items"]
    assert timedelta(days=100) <= END - data.crisis_start <= timedelta(days=140)
    start = pd.Timestamp(data.crisis_start)
    week = items["received_at"].dt.to_period("W-SUN").dt.start_time
    hit = items["district"].isin(data.crisis_districts)
    weekly = items[hit].groupby(week[hit]).size()
    others = weekly.drop(start).iloc[1:-1]
    assert 3.5 <= weekly[start] / others.median() <= 7
    assert weekly.idxmax() == start
    # A backlog: crisis items past their resolution target at the week's end.
    end_of_week = start + pd.Timedelta(days=7)
    in_week = week == start
    late = items["resolved_at"].isna() | (items["resolved_at"] > end_of_week)
    normal = (week == start - pd.Timedelta(days=21)) & hit
    assert late[in_week & hit].mean() > 0.3
    assert late[in_week & hit].mean() > 2 * late[normal].mean()
    reply = (items["first_response_at"] - items["received_at"]).dt.total_seconds()
    assert reply[in_week].median() > 2 * reply[week == start - pd.Timedelta(days=21)].median()


# ---------------------------------------------------------------------------
# Planted bad rows


def test_planted_bad_rows_are_where_they_say_and_each_is_bad(small):
    planted = small["data"].bad_rows
    assert len(planted) == demo.DEMO_BAD_ROWS
    assert planted == demo.planted_bad_rows(**SMALL)
    assert len({b.reason for b in planted}) >= 9
    assert len({b.file_name for b in planted}) >= 4
    assert any(b.file_name.endswith(".xlsx") for b in planted)
    assert not any("reexport" in b.file_name for b in planted)
    raw = small["raw"].set_index(["file", "row"])
    for bad in planted:
        row = raw.loc[(bad.file_name, bad.source_row)]
        assert row["inquiry_id"] == bad.inquiry_id, bad
        reason = bad.reason
        if "Gilgit" in reason:
            assert row["district"] == "Gilgit"
        elif "Chitral" in reason:
            assert row["district"] == "Chitral"
        elif "South Waziristan" in reason:
            assert row["district"] == "South Waziristan"
        elif "Facbook" in reason:
            assert row["channel"] == "Facbook"
        elif "1900" in reason:
            assert row["resolved_at"].startswith("1900-01-01")
        elif "3019" in reason:
            assert row["resolved_at"].startswith("3019-")
        elif "before" in reason:
            assert row["resolved_at"] < row["received_at"]
        elif "is blank" in reason:
            assert row["received_at"] == ""
        elif "not a timestamp" in reason:
            assert pd.isna(pd.to_datetime(row["received_at"], errors="coerce"))
        elif "duplicate" in reason:
            frame = small["raw"]
            same = frame[(frame["file"] == bad.file_name) & (frame["inquiry_id"] == bad.inquiry_id)]
            assert len(same) == 2
        else:
            pytest.fail(f"unexpected planted reason {reason}")
    # Nothing else in the files is bad in those ways.
    raw = small["raw"]
    planted_rows = {(b.file_name, b.source_row) for b in planted}
    clean = raw[[(f, r) not in planted_rows for f, r in zip(raw["file"], raw["row"], strict=True)]]
    duplicated = clean.duplicated(["file", "inquiry_id"], keep=False)
    assert not duplicated.any()
    read = canonical(clean)
    assert read["channel"].notna().all()
    assert read.loc[clean["district"] != "", "district"].notna().all()
    assert read["received_at"].notna().all()


# ---------------------------------------------------------------------------
# The default run: 20 months at 160 items a day


def test_default_run_is_fast_complete_and_realistic(tmp_path):
    began = time.perf_counter()
    paths = demo.write_demo_files(tmp_path, end_date=END)
    seconds = time.perf_counter() - began
    assert seconds < 30, f"default demo took {seconds:.1f} s"
    frames = [read_register(p) for p in paths if p.name.startswith("inquiry_register_")
              and p.suffix == ".csv"]  # fmt: skip
    csv_rows = sum(len(f) for f in frames)
    workbook_rows = 0
    for path in paths:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                sheet = archive.read("xl/worksheets/sheet1.xml")
            workbook_rows += sheet.count(b"<row ") - 1
    assert 80_000 <= csv_rows + workbook_rows <= 130_000
    assert 0.1 <= workbook_rows / (csv_rows + workbook_rows) <= 0.35  # the first months
    recent = pd.concat(frames, ignore_index=True)
    received = pd.to_datetime(recent["received_at"], format="%Y-%m-%d %H:%M", errors="coerce")
    assert received.max() < pd.Timestamp(END)
    assert received.max() >= pd.Timestamp(END) - pd.Timedelta(days=1)
    first_csv_month = received.min()
    assert first_csv_month <= pd.Timestamp(END) - pd.DateOffset(months=13)
    districts = recent["district"].map(lambda v: DISTRICTS.get(_fold(v)) if v else "")
    assert districts[districts != ""].dropna().nunique() == 36
    assert sum(1 for p in paths if p.name.startswith("inquiry_register_2")) >= 12
    events = next(p for p in paths if p.name.startswith("response_events_"))
    span = re.findall(r"\d{4}-\d{2}-\d{2}", events.name)
    assert date.fromisoformat(span[0]) <= END - timedelta(days=18 * 30)
    assert date.fromisoformat(span[1]) == END - timedelta(days=1)
