"""Personal numbers in free text are found and redacted; keyed hashes.

Whether anything personal survives is judged by a checker written here
(any run of 10 or more digits, separators allowed between them, or an
``@``), never by ``core.privacy`` itself.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
import unicodedata
from pathlib import Path

import pytest

from core import privacy

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "privacy"

URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

MOBILES = ["0300-1234567", "03451122334", "0333 7654321", "+92 300 1234567", "+923219876543",
           "0092-312-4455667", "0300 123 4567", "(0300) 1234567"]  # fmt: skip
LANDLINES = ["091-9212345", "(091) 5701234", "051 2345678", "021-34567890", "0937-861234",
             "+92 91 5701234"]  # fmt: skip
CNICS = ["17301-1234567-1", "1730112345671", "42101-7654321-9", "61101 2345678 3"]
EMAILS = ["ali.khan@example.pk", "fatima_bb+police@mail.example.com", "علی@مثال.پاک"]
TEMPLATES = [
    "Caller says nobody came; contact {} today.",
    "میرا نمبر {} ہے، براہ کرم رابطہ کریں",
    "زما شمېره {} ده",
    "نمبر:{}شکریہ",
    "({})",
    "{}",
]
# Numbers that are not personal and must stay as they are.
KEPT = [
    "FIR No. 123/2025 dated 12/03/2025",
    "Rs 50,000 was demanded",
    "inquiry INQ-000123 was closed",
    "call the helpline 1715",
    "ضلع پشاور میں 25 شکایات",
]


def ascii(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


# Ten or more digits with up to two separator characters between each.
NUMBER_SHAPED = re.compile(r"\d(?:[\s\-\u2013.()+/]{0,2}\d){9,}")


def leaks(text: str) -> list[str]:
    """Phone-, CNIC- or email-shaped parts of ``text`` (independent checker)."""
    plain = ascii(text)
    found = NUMBER_SHAPED.findall(plain)
    found += re.findall(r"\S*@\S*", plain)
    return found


def corpus() -> list[str]:
    """Every number in every template, in ASCII, Urdu and Arabic-Indic digits."""
    lines = []
    for value, template in itertools.product(MOBILES + LANDLINES + CNICS, TEMPLATES):
        for digits in (None, URDU_DIGITS, ARABIC_DIGITS):
            lines.append(template.format(value.translate(digits) if digits else value))
    lines += [template.format(email) for email, template in itertools.product(EMAILS, TEMPLATES)]
    return lines


def fixture_lines() -> list[str]:
    text = (FIXTURES / "summaries.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_the_checker_sees_what_the_fixtures_plant() -> None:
    # Otherwise the tests below would pass for nothing.
    assert all(leaks(line) for line in corpus())
    assert all(leaks(line) for line in fixture_lines())
    assert not any(leaks(line) for line in KEPT)


@pytest.mark.parametrize("line", corpus())
def test_no_personal_number_survives_redaction(line: str) -> None:
    redacted = privacy.redact(line)
    assert not leaks(redacted), (line, redacted)
    assert privacy.has_personal(line)


def test_no_personal_number_survives_in_the_fixture_file() -> None:
    lines = fixture_lines()
    assert len(lines) >= 12
    for line in lines:
        redacted = privacy.redact(line)
        assert not leaks(redacted), (line, redacted)


def test_the_words_around_are_kept() -> None:
    line = "میرا نمبر ۰۳۰۰-۱۲۳۴۵۶۷ ہے، شناختی کارڈ ۱۷۳۰۱-۷۶۵۴۳۲۱-۹ اور ای میل ali@example.pk"
    assert privacy.redact(line) == (
        "میرا نمبر [phone removed] ہے، شناختی کارڈ [CNIC removed] اور ای میل [email removed]"
    )


@pytest.mark.parametrize("line", KEPT)
def test_numbers_that_are_not_personal_stay(line: str) -> None:
    assert privacy.redact(line) == line
    assert not privacy.has_personal(line)


def test_findings_say_where_and_what_but_never_hold_the_value() -> None:
    line = "cnic 17301-1234567-1 phone 0300-1234567"
    findings = privacy.find_personal(line)
    assert [(f.kind, line[f.start : f.end]) for f in findings] == [
        ("cnic", "17301-1234567-1"),
        ("phone", "0300-1234567"),
    ]
    assert "1234567" not in repr(findings)


def test_a_cnic_must_stand_alone() -> None:
    # 14 digits in a row are not a CNIC (no 13-digit CNIC inside them).
    assert all(f.kind != "cnic" for f in privacy.find_personal("account 12345678901234"))
    assert privacy.find_personal("x17301-1234567-1x")[0].kind == "cnic"


def test_non_text_cells_pass_through() -> None:
    assert privacy.redact_value(42) == 42
    assert privacy.redact_value(None) is None
    assert privacy.redact("") == ""


# Keyed hashes --------------------------------------------------------------------


@pytest.fixture
def secret_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "secret"
    monkeypatch.setenv("KP_SECRET_DIR", str(folder))
    return folder


def test_the_key_is_made_once_private_and_outside_the_repo(secret_dir: Path) -> None:
    assert not secret_dir.exists()
    first = privacy.hashing_key()
    key_file = secret_dir / privacy.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret_dir.stat().st_mode) == 0o700
    assert len(first) == privacy.KEY_BYTES
    assert privacy.hashing_key() == first  # reused, not remade
    assert [p.name for p in secret_dir.iterdir()] == [privacy.KEY_FILE]  # no temp left


def test_a_key_others_can_read_is_refused(secret_dir: Path) -> None:
    privacy.hashing_key()
    os.chmod(secret_dir / privacy.KEY_FILE, 0o644)
    with pytest.raises(RuntimeError, match="chmod 600"):
        privacy.hashing_key()


def test_a_key_folder_inside_the_project_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KP_SECRET_DIR", str(Path(privacy.PROJECT_ROOT) / "secrets"))
    with pytest.raises(RuntimeError, match="inside the project"):
        privacy.hashing_key()
    assert not (Path(privacy.PROJECT_ROOT) / "secrets").exists()


def test_one_requester_one_token_whatever_the_spelling(secret_dir: Path) -> None:
    phone = {privacy.keyed_hash(v, privacy.PHONE) for v in
             ["0300-1234567", "+92 300 1234567", "00923001234567", "۰۳۰۰۱۲۳۴۵۶۷"]}  # fmt: skip
    cnic = {privacy.keyed_hash(v, privacy.CNIC) for v in ["17301-1234567-1", "1730112345671"]}
    email = {privacy.keyed_hash(v, privacy.EMAIL) for v in ["Ali@Example.pk ", "ali@example.pk"]}
    assert len(phone) == len(cnic) == len(email) == 1
    token = phone.pop()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert token != privacy.keyed_hash("0300-7654321", privacy.PHONE)
    # The same digits as another kind are another token (domain separation).
    assert privacy.keyed_hash("1730112345671", privacy.PHONE) != cnic.pop()
    assert privacy.keyed_hash("", privacy.PHONE) == ""


def test_without_the_key_the_token_cannot_be_rebuilt(secret_dir: Path) -> None:
    token = privacy.keyed_hash("0300-1234567", privacy.PHONE)
    assert privacy.keyed_hash("0300-1234567", privacy.PHONE, key=b"x" * 32) != token
