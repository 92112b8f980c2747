"""Finding and removing personal numbers in free text, and keyed hashes.

Free text from the public (inquiry summaries, captions, comments) and from
staff (remarks, a name typed into the wrong column) can carry a CNIC, a phone
number or an email. ``redact`` replaces each with a marker before the text
goes anywhere below raw: a mart, a chart, a log line, an export.

What is found:

* **CNIC**: ``#####-#######-#`` (hyphen, any Unicode dash or one space as the
  separator, the same one twice) and 13 digits in a row not part of a longer
  number;
* **phone numbers**: Pakistani mobile and landline numbers, and international
  ones written with ``+`` or ``00``, as Google's libphonenumber recognises
  them (``phonenumbers.PhoneNumberMatcher(text, "PK")``: it knows every
  Pakistani area code and mobile prefix, which a hand-written pattern would
  not); plus a mobile number written without its leading 0 (``300 1234567``),
  which the library does not take as a number, and a landline written with
  its trunk 0 and area code whose exchange the library does not know
  (``091-1234567``: a mistyped or new exchange is still someone's number);
* **emails**: ``local@domain.tld``.

Digits in Urdu and Pashto text are often Extended Arabic-Indic (``۰۳۰۰…``) or
Arabic-Indic (``٠٣٠٠…``): every pattern reads any Unicode decimal digit as
the digit it is, so ``۱۷۳۰۱-۱۲۳۴۵۶۷-۱`` is a CNIC.

``keyed_hash`` turns a requester's phone, CNIC, email or name into an opaque
token (HMAC-SHA256 with a key kept outside the repository), so repeat
requesters stay countable without anyone being able to say who they are.
The key is created on first use, readable by its owner only.

``redact_column`` redacts a whole column of free text (captions, headlines,
account names) at load: a cheap regular-expression pre-check picks the few
cells that could hold a number or an email, and only those are scanned.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import stat
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import phonenumbers

from core.config import PROJECT_ROOT

CNIC, PHONE, EMAIL = "cnic", "phone", "email"
MARKERS: dict[str, str] = {
    CNIC: "[CNIC removed]",
    PHONE: "[phone removed]",
    EMAIL: "[email removed]",
}

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Patterns run on the text with every decimal digit made ASCII (same length,
# so spans map back one to one). ``(?<!\d)`` keeps a CNIC from being the
# middle of a longer number.
CNIC_RE = re.compile(
    rf"(?<!\d)\d{{5}}(?P<sep>[{_DASHES} ])\d{{7}}(?P=sep)\d(?!\d)|(?<!\d)\d{{13}}(?!\d)"
)
EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Mobile numbers without the trunk 0 (3xx xxxxxxx): libphonenumber needs the
# 0 or +92 to take them as numbers.
BARE_MOBILE_RE = re.compile(rf"(?<![\d+])3[0-4]\d[{_DASHES} ]?\d{{7}}(?!\d)")
# A Pakistani landline as people write it: trunk 0, a 2-4 digit area code
# (in brackets or not), then the subscriber's 5-8 digits; 9 or 10 digits
# after the 0 (checked in ``find_personal``), as every Pakistani number has.
LANDLINE_RE = re.compile(rf"(?<![\d+])(?:\(0\d{{2,4}}\)|0\d{{2,4}})[{_DASHES} ]?\d{{5,8}}(?!\d)")
# Worth a full scan: an '@', or a run of 7 or more digits (any script: ``\d``
# is Unicode) with up to 4 separators between them (libphonenumber's
# punctuation, full-width forms included). Every CNIC, phone number (the
# shortest anywhere have 7 digits with their country code) and email
# ``find_personal`` finds matches this; most captions and headlines do not.
_SEPARATORS = (
    r"\s\-\u00ad\u200b\u2010-\u2015\u2053\u2060\u2212\u223c\u3000\u30fc"
    r"\uff08\uff09\uff0d-\uff0f\uff3b\uff3d\uff5e.,()\[\]/~+"
)
SUSPECT_RE = re.compile(rf"@|\d(?:[{_SEPARATORS}]{{0,4}}\d){{6,}}")


@dataclass(frozen=True)
class Finding:
    """Where a personal number sits in a text: ``text[start:end]`` is a ``kind``.

    Deliberately holds no copy of the value, so printing a finding (in a
    log, an error) never prints the number."""

    kind: str
    start: int
    end: int


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit replaced by its ASCII digit
    (one character for one, so positions do not move)."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text
    )


def find_personal(text: str) -> list[Finding]:
    """Every CNIC, phone number and email in ``text``, in order, not overlapping.

    Where two overlap (a CNIC is also 13 digits a phone matcher might take),
    the earlier and then the longer wins; CNIC and email are checked first.
    """
    if not text:
        return []
    plain = ascii_digits(text)
    found: list[Finding] = []
    found += [Finding(EMAIL, m.start(), m.end()) for m in EMAIL_RE.finditer(plain)]
    found += [Finding(CNIC, m.start(), m.end()) for m in CNIC_RE.finditer(plain)]
    if any(ch.isdigit() for ch in plain):
        found += [
            Finding(PHONE, m.start, m.end)
            for m in phonenumbers.PhoneNumberMatcher(plain, "PK", max_tries=10_000)
        ]
        found += [Finding(PHONE, m.start(), m.end()) for m in BARE_MOBILE_RE.finditer(plain)]
        found += [
            Finding(PHONE, m.start(), m.end())
            for m in LANDLINE_RE.finditer(plain)
            if sum(ch.isdigit() for ch in m.group()) in (10, 11)
        ]
    priority = {EMAIL: 0, CNIC: 1, PHONE: 2}
    found.sort(key=lambda f: (f.start, priority[f.kind], -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            if finding.end > kept[-1].end:  # overlaps and runs on: widen the kept span
                kept[-1] = Finding(kept[-1].kind, kept[-1].start, finding.end)
            continue
        kept.append(finding)
    return kept


def redact(text: str, markers: Mapping[str, str] = MARKERS) -> str:
    """``text`` with each CNIC, phone number and email replaced by a marker
    (``[CNIC removed]``, ``[phone removed]``, ``[email removed]``, or the
    ``markers`` given: ``core.masking`` draws dots with the same scanner)."""
    if not isinstance(text, str) or not text:
        return text
    findings = find_personal(text)
    if not findings:
        return text
    parts: list[str] = []
    position = 0
    for finding in findings:
        parts.append(text[position : finding.start])
        parts.append(markers[finding.kind])
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


PERSONAL_VALUE = "[personal data removed]"
# A value a message quotes: 'like this' or "like this" (check reasons do).
QUOTED_RE = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"")


def redact_message(text: str) -> str:
    """A message that quotes values (a failed check's reason or example)
    made safe to store: a quoted value holding a CNIC, phone number or
    email is removed whole (a name typed beside the number goes with it),
    and any personal number left elsewhere is ``redact``-ed."""
    if not isinstance(text, str) or not text:
        return text

    def quoted(match: re.Match[str]) -> str:
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        return f"'{PERSONAL_VALUE}'" if has_personal(inner) else match.group(0)

    return redact(QUOTED_RE.sub(quoted, text))


def redact_value(value: object) -> object:
    """``redact`` for a table cell: text is redacted, anything else kept."""
    return redact(value) if isinstance(value, str) else value


def redact_column(
    values: pd.Series, *, redact_one: Callable[[str], str] | None = None
) -> pd.Series:
    """``values`` (a column of free text) with every CNIC, phone number and
    email ``redact``-ed; blanks and non-text cells kept as they are.

    Cheap on big files: one vectorised ``SUSPECT_RE`` test over the column,
    then the full scan (libphonenumber) on the suspect cells only.
    ``redact_one`` replaces ``redact`` for cells with structure (JSON)."""
    if values.empty:
        return values
    texts = values.astype(object)
    suspect = texts.str.contains(SUSPECT_RE.pattern, regex=True, na=False).astype(bool)
    if not suspect.any():
        return values
    cleaned = texts.copy()
    cleaned[suspect] = texts[suspect].map(redact_one or redact)
    return cleaned.astype(values.dtype) if values.dtype != object else cleaned


def has_personal(text: object) -> bool:
    """True when ``text`` holds a CNIC, phone number or email."""
    return isinstance(text, str) and bool(find_personal(text))


# ---------------------------------------------------------------------------
# Keyed hashes: repeat requesters countable, never identifiable
# ---------------------------------------------------------------------------

KEY_FILE = "hash.key"
KEY_BYTES = 32
_key_lock = threading.Lock()


def secret_dir() -> Path:
    """``KP_SECRET_DIR``, else ``~/.config/kp-dashboard``: outside the repository."""
    configured = os.environ.get("KP_SECRET_DIR")
    base = Path(configured) if configured else Path.home() / ".config" / "kp-dashboard"
    return base.expanduser().resolve()


def _check_outside_repo(folder: Path) -> None:
    if folder == PROJECT_ROOT or PROJECT_ROOT in folder.parents:
        raise RuntimeError(
            f"The hashing key folder {folder} is inside the project; a key there could be "
            "committed or shipped. Set KP_SECRET_DIR to a folder outside it."
        )


def _check_private(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise RuntimeError(
            f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}); "
            f"make it private with `chmod 600 {path}`."
        )


def key_path() -> Path:
    return secret_dir() / KEY_FILE


def hashing_key() -> bytes:
    """The HMAC key, created (random, 32 bytes, mode 0600) on first use.

    Creation is atomic: the key is written to a private temporary file and
    linked into place, so two processes starting together end up with the
    same key and nobody ever reads half a key. Losing the key only means
    requesters hashed before and after no longer match; it cannot be
    rebuilt from the hashes.
    """
    folder = secret_dir()
    _check_outside_repo(folder)
    path = folder / KEY_FILE
    with _key_lock:
        if not path.exists():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(secrets.token_bytes(KEY_BYTES))
                    out.flush()
                    os.fsync(out.fileno())
                # Another process may have linked its key first: then use theirs.
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)
        _check_private(path)
        key = path.read_bytes()
    if len(key) < KEY_BYTES:
        raise RuntimeError(f"{path} holds {len(key)} bytes, not a {KEY_BYTES}-byte key")
    return key


def normalise(value: str, kind: str) -> str:
    """The form two spellings of the same person share.

    Phones become E.164 (``0300-1234567`` and ``+92 300 1234567`` match),
    CNICs their 13 digits, emails lower case, anything else (a name)
    case-folded with runs of spaces made one."""
    text = ascii_digits(str(value)).strip()
    if kind == PHONE:
        try:
            number = phonenumbers.parse(text, "PK")
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            return re.sub(r"\D", "", text)
    if kind == CNIC:
        return re.sub(r"\D", "", text)
    if kind == EMAIL:
        return text.lower()
    return " ".join(text.casefold().split())


def keyed_hash(value: str, kind: str, *, key: bytes | None = None) -> str:
    """An opaque, stable token for ``value`` (hex HMAC-SHA256 of its normal
    form, domain-separated by ``kind``). Empty input gives ``""``."""
    if value is None or not str(value).strip():
        return ""
    message = f"{kind}:{normalise(value, kind)}".encode()
    return hmac.new(key if key is not None else hashing_key(), message, hashlib.sha256).hexdigest()
