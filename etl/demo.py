"""Deterministic demo exports: the registers a provincial police media cell hands in.

``write_demo_files`` writes, in the formats the ETL reads (it recognises
files by their headers, never by name):

* the **inquiry register**, split as a real cell keeps it: one Excel workbook
  per fiscal year for the first months (``inquiry_register_FY2024-25.xlsx``,
  real Excel datetimes), then monthly CSVs as Excel's "CSV UTF-8" writes them
  (BOM, CRLF, ``YYYY-MM-DD HH:MM`` naive Asia/Karachi time), and a later
  **re-export** of the last three weeks in which items that were open at the
  first export have since moved on (same ids: the ETL's update-by-id path);
* a **response-events log** of the helpline system (``inquiry_id, event, at,
  actor``) for the helpline and toll-free items, whose register rows leave the
  step timestamps blank: both paths describe one truth;
* a few **planted bad rows**, one per kind of fault (``planted_bad_rows``), so
  quarantine has something to show.

The data describe the registers as exported at 00:00 Asia/Karachi on
``end_date``: every timestamp is before that moment, so a load on or after
``end_date`` never sees a timestamp in the future. Everything follows from
``numpy.random.default_rng(seed)``: the same seed, ``end_date``, ``months``
and ``daily_volume`` give byte-identical files.

Personal data are fake on purpose: names from lists of common names, phone
numbers ``03xx-00xxxxx`` (the ``00`` block is not issued), CNICs
``xxxxx-0000xxx-x``, e-mail addresses at the reserved ``example.*`` domains.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core import vocab
from core.config import REFERENCE_DIR
from etl.sources.inquiries import REGISTER_COLUMNS

DEMO_SEED = 20230904  # the media cell's launch, 4 September 2023
TIMEZONE = "Asia/Karachi"

# The register template's columns, in order: the loader's own definition.
INQUIRY_COLUMNS: tuple[str, ...] = REGISTER_COLUMNS
EVENT_COLUMNS: tuple[str, ...] = ("inquiry_id", "event", "at", "actor")

INQUIRY_DESCRIPTIONS: dict[str, str] = {
    "inquiry_id": "Unique id of the item, kept as text: KPMC-YYMM-NNNNNN "
    "(year and month received, running number); never reuse one.",
    "received_at": "When the item reached the cell: YYYY-MM-DD HH:MM, Pakistan time (PKT). "
    "Required.",
    "channel": "Where it came in: Facebook, X, Instagram, YouTube, TikTok, WhatsApp, "
    "Helpline phone, SMS 8855, Toll-free 0800, Email, Web portal, Pakistan Citizen Portal, "
    "Walk-in, Letter, RTI request. Required.",
    "category": "complaint, inquiry, information_request (KP RTI Act 2013), tip, feedback "
    "or emergency. Required.",
    "district": "One of the 36 districts of data/reference/kp_districts.csv; blank when the "
    "item names none. Write Upper/Lower for Chitral, Dir, Kohistan and South Waziristan.",
    "requester_gender": "female, male, transgender or unknown (blank is read as unknown).",
    "language": "Language the requester used: Urdu, Pashto, English, Hindko, Saraiki, "
    "Chitrali or Other.",
    "summary": "One line on what the item is about. Personal data: never leaves the raw layer.",
    "requester_name": "Name, or profile name on social media. Personal data.",
    "requester_phone": "Mobile number as 03xx-xxxxxxx. Personal data.",
    "requester_cnic": "CNIC as xxxxx-xxxxxxx-x, when the requester gave it. Personal data.",
    "requester_email": "E-mail address, when given. Personal data.",
    "priority": "normal, high or urgent (urgent = life or liberty at stake); blank is read "
    "as normal.",
    "first_response_at": "First human reply to the requester (an automatic reply does not "
    "count): YYYY-MM-DD HH:MM PKT.",
    "referred_at": "When the item was referred to the RPO/DPO for field action.",
    "referred_to": "Office it was referred to, e.g. DPO Mardan, RPO Hazara, CCPO Peshawar.",
    "field_ack_at": "When the district acknowledged the referral and contacted the "
    "complainant (target: within 24 hours).",
    "field_report_at": "When the district's field action report reached the cell "
    "(target: within 3 days).",
    "resolved_at": "When the item was resolved; after a reopening, the latest resolution.",
    "status": "open, in_progress, referred, resolved, closed, reopened, no_reply_needed, "
    "spam or duplicate.",
    "reopened_at": "When the item was reopened after a resolution (the latest reopening).",
    "satisfaction": "Survey answer: satisfied, neutral or dissatisfied (or 1-5); blank when "
    "not surveyed.",
}
EVENT_DESCRIPTIONS: dict[str, str] = {
    "inquiry_id": "Id of the item in the inquiry register (KPMC-YYMM-NNNNNN), as text.",
    "event": "The step: received, first_response, referred, field_ack, field_report, "
    "resolved or reopened.",
    "at": "When the step happened: YYYY-MM-DD HH:MM[:SS], Pakistan time (PKT).",
    "actor": "Who took the step: agent, office (e.g. DPO Kohat) or system.",
}

_DAY = 1440.0  # minutes
_OPEN, _CLOSE = 9 * 60, 17 * 60  # staffed hours, PKT (data/config/settings.yaml)
_EPOCH = np.datetime64("1970-01-01T00:00:00", "s")
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")
# Zip entries get this time so that workbooks are byte-identical run to run.
_ZIP_TIME = (2023, 9, 4, 0, 0, 0)

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class PlantedRow:
    """A deliberately bad data row: where it is and what is wrong with it."""

    file_name: str
    inquiry_id: str
    reason: str
    source_row: int
    """Its row in the file, counted as a spreadsheet does (header = row 1)."""


# One entry per bad data row the demo plants (the duplicate id is two rows,
# both of which break uniqueness): what a quarantine should hold.
DEMO_BAD_ROWS = 11


@dataclass
class DemoData:
    """Everything the generator made, before it is written."""

    files: dict[str, bytes]
    bad_rows: list[PlantedRow]
    items: pd.DataFrame = field(repr=False)
    """The truth, one row per item (minutes since ``origin``), for checks."""
    origin: datetime
    as_of: datetime
    crisis_start: date
    crisis_districts: tuple[str, ...]


# ---------------------------------------------------------------------------
# Vocabularies and mixes


CHANNEL_MIX: dict[str, float] = {
    "Facebook": 0.34,
    "WhatsApp": 0.18,
    "X": 0.09,
    "TikTok": 0.07,
    "Instagram": 0.04,
    "YouTube": 0.02,
    "Helpline phone": 0.08,
    "SMS 8855": 0.05,
    "Toll-free 0800": 0.03,
    "Pakistan Citizen Portal": 0.04,
    "Email": 0.02,
    "Web portal": 0.02,
    "Walk-in": 0.01,
    "Letter": 0.005,
    "RTI request": 0.005,
}
CRISIS_CHANNEL_MIX: dict[str, float] = {
    "Facebook": 0.33,
    "WhatsApp": 0.25,
    "X": 0.12,
    "TikTok": 0.06,
    "Helpline phone": 0.12,
    "Toll-free 0800": 0.06,
    "SMS 8855": 0.06,
}
# Share of items naming no district, by channel (social comments mostly).
BLANK_DISTRICT: dict[str, float] = {
    "Facebook": 0.14,
    "X": 0.16,
    "Instagram": 0.12,
    "YouTube": 0.20,
    "TikTok": 0.14,
    "WhatsApp": 0.07,
    "Helpline phone": 0.02,
    "SMS 8855": 0.04,
    "Toll-free 0800": 0.02,
    "Email": 0.03,
    "Web portal": 0.03,
    "Letter": 0.01,
    "RTI request": 0.02,
}
# (female, transgender, unknown) shares by channel; the rest are male.
GENDER_MIX: dict[str, tuple[float, float, float]] = {
    "Facebook": (0.12, 0.002, 0.22),
    "X": (0.09, 0.002, 0.25),
    "Instagram": (0.20, 0.003, 0.18),
    "YouTube": (0.08, 0.001, 0.30),
    "TikTok": (0.16, 0.004, 0.22),
    "WhatsApp": (0.18, 0.002, 0.08),
    "Helpline phone": (0.20, 0.002, 0.04),
    "SMS 8855": (0.15, 0.001, 0.12),
    "Toll-free 0800": (0.20, 0.002, 0.04),
    "Email": (0.14, 0.001, 0.10),
    "Web portal": (0.14, 0.001, 0.10),
    "Pakistan Citizen Portal": (0.17, 0.001, 0.02),
    "Walk-in": (0.22, 0.003, 0.0),
    "Letter": (0.12, 0.001, 0.05),
    "RTI request": (0.10, 0.001, 0.05),
}
_SOCIAL_CAT = (0.36, 0.36, 0.03, 0.06, 0.17, 0.02)
# complaint, inquiry, information_request, tip, feedback, emergency
CATEGORY_MIX: dict[str, tuple[float, ...]] = {
    "Facebook": _SOCIAL_CAT,
    "X": _SOCIAL_CAT,
    "Instagram": _SOCIAL_CAT,
    "YouTube": _SOCIAL_CAT,
    "TikTok": _SOCIAL_CAT,
    "WhatsApp": (0.45, 0.30, 0.03, 0.12, 0.07, 0.03),
    "Helpline phone": (0.50, 0.30, 0.02, 0.07, 0.03, 0.08),
    "Toll-free 0800": (0.50, 0.30, 0.02, 0.07, 0.03, 0.08),
    "SMS 8855": (0.55, 0.25, 0.02, 0.12, 0.05, 0.01),
    "Email": (0.45, 0.30, 0.15, 0.04, 0.06, 0.0),
    "Web portal": (0.45, 0.30, 0.15, 0.04, 0.06, 0.0),
    "Pakistan Citizen Portal": (0.80, 0.12, 0.06, 0.0, 0.02, 0.0),
    "Walk-in": (0.65, 0.20, 0.08, 0.05, 0.02, 0.0),
    "Letter": (0.60, 0.10, 0.25, 0.02, 0.03, 0.0),
    "RTI request": (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
}
CRISIS_CATEGORY_MIX = (0.33, 0.34, 0.0, 0.15, 0.03, 0.15)
# Median first reply in business minutes, by channel (R4 target: 15 min).
FIRST_REPLY_MEDIAN: dict[str, float] = {
    "Facebook": 12.0,
    "X": 14.0,
    "Instagram": 15.0,
    "YouTube": 28.0,
    "TikTok": 18.0,
    "WhatsApp": 10.0,
    "Helpline phone": 2.0,
    "SMS 8855": 22.0,
    "Toll-free 0800": 2.0,
    "Email": 60.0,
    "Web portal": 90.0,
    "Pakistan Citizen Portal": 240.0,
    "Walk-in": 5.0,
    "Letter": 960.0,
    "RTI request": 480.0,
}
# Channels the helpline system logs step by step (the response-events log).
EVENT_CHANNELS = ("Helpline phone", "Toll-free 0800")
# Spellings staff type for channels (all in core/vocab.py's aliases).
CHANNEL_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Facebook": ("FB", "facebook", "Facebook Messenger"),
    "X": ("Twitter", "X (Twitter)"),
    "Instagram": ("Insta", "IG"),
    "YouTube": ("Youtube", "YT"),
    "TikTok": ("Tik Tok", "tiktok"),
    "WhatsApp": ("Whats App", "Whatsapp"),
    "Helpline phone": ("Helpline", "Phone"),
    "SMS 8855": ("SMS", "8855"),
    "Toll-free 0800": ("0800-004000", "Toll free"),
    "Email": ("E-mail", "email"),
    "Web portal": ("Website", "Portal"),
    "Pakistan Citizen Portal": ("PCP", "Citizen Portal", "PM Portal"),
    "Walk-in": ("Walk in", "In person"),
    "Letter": ("Post",),
    "RTI request": ("RTI", "Right to Information"),
}
# language profiles: Urdu, Pashto, English, Hindko, Saraiki, Chitrali, Other
_LANG_DEFAULT = (0.36, 0.55, 0.08, 0.0, 0.0, 0.0, 0.01)
LANGUAGE_MIX: dict[str, tuple[float, ...]] = {
    "Peshawar": (0.40, 0.42, 0.12, 0.05, 0.0, 0.0, 0.01),
    "Kohat": (0.38, 0.50, 0.07, 0.04, 0.0, 0.0, 0.01),
    "Abbottabad": (0.45, 0.06, 0.10, 0.37, 0.0, 0.0, 0.02),
    "Haripur": (0.46, 0.07, 0.09, 0.36, 0.0, 0.0, 0.02),
    "Mansehra": (0.44, 0.12, 0.08, 0.34, 0.0, 0.0, 0.02),
    "Battagram": (0.35, 0.45, 0.05, 0.13, 0.0, 0.0, 0.02),
    "Torghar": (0.33, 0.50, 0.04, 0.11, 0.0, 0.0, 0.02),
    "Upper Kohistan": (0.40, 0.25, 0.03, 0.07, 0.0, 0.0, 0.25),
    "Lower Kohistan": (0.40, 0.25, 0.03, 0.07, 0.0, 0.0, 0.25),
    "Kolai Palas": (0.40, 0.25, 0.03, 0.07, 0.0, 0.0, 0.25),
    "Lower Chitral": (0.33, 0.10, 0.10, 0.0, 0.0, 0.45, 0.02),
    "Upper Chitral": (0.30, 0.06, 0.10, 0.0, 0.0, 0.52, 0.02),
    "Dera Ismail Khan": (0.36, 0.22, 0.07, 0.0, 0.33, 0.0, 0.02),
    "Tank": (0.38, 0.44, 0.05, 0.0, 0.11, 0.0, 0.02),
    "": (0.50, 0.30, 0.18, 0.01, 0.005, 0.0, 0.005),
}
CRISIS_DISTRICTS = ("Kurram", "Orakzai", "Hangu")
# Volume in the crisis districts on each day of the crisis week (x normal).
CRISIS_PROFILE = (2.5, 5.5, 5.5, 4.5, 4.0, 3.0, 2.5)
WEEKDAY_VOLUME = (1.08, 1.04, 1.04, 1.04, 0.88, 0.95, 0.62)  # Mon..Sun (Friday: Jumu'ah)


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(sep) if word.strip())


MALE_NAMES = _words(
    """Muhammad Ahmad Ali Hassan Hussain Imran Bilal Usman Zubair Fawad Shahid Tariq Aamir
    Irfan Sajid Naveed Waqas Junaid Asad Hamza Haris Fahad Saeed Noor Gul Zahid Rashid Ikram
    Sher Wali Amjad Niaz Abdullah Hayat Kamran Iftikhar Rahim Shaukat Yasir Adnan Sohail
    Qasim Fazal Jamal Umar"""
)
FEMALE_NAMES = _words(
    """Ayesha Fatima Zainab Maryam Sana Nadia Rabia Saima Shazia Bushra Farzana Nasreen
    Shabana Gulalai Palwasha Malalai Zarmina Hina Iqra Amna Sadia Samina Rukhsana Shaista
    Naila Uzma Mehwish Khadija Laiba Asma"""
)
TRANS_NAMES = _words("Alisha Nayab Shehzadi Dilbar Chahat Reshma Zoya Kiran")
FAMILY_NAMES = _words(
    """Khan Afridi Yousafzai Shah Khattak Mohmand Wazir Bangash Orakzai Durrani Gandapur
    Marwat Swati Jadoon Tanoli Abbasi Qureshi Awan Hussain Ahmad Iqbal Rehman Ullah Gul
    Shinwari Kundi Mahsud Tareen Mughal Achakzai Jan Zaman Baloch"""
)
FEMALE_FAMILY = _words("Bibi Khan Begum Gul Jan Shah Afridi Yousafzai Ahmad")
# Profile names of people commenting on social media without giving a name.
HANDLES = _words(
    """Pakhtun Zalmay|Peshawar Lover|Mardan Youth|Khan G|Swat Diaries|Info Seeker|
    Concerned Citizen|Hazara Boy|Desi Munda|Pathan 007|Waziristan Voice|Student KP|
    Dil Ki Baat|Truth Teller|Gumnaam|Kohat Walay|Bannu Wal|Chitral Beauty|Malakand Fan|
    Simple Banda""",
    sep="|",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
MOBILE_PREFIXES = tuple(
    f"03{n:02d}" for n in (*range(10), 11, 12, 13, 14, 15, *range(21, 26), *range(30, 37))
)
CNIC_PREFIXES = ("17301", "16101", "15602", "13503", "11101", "12101", "14301", "15401")

# Summary templates: {d} is the district. Scripts: en English, ur Urdu,
# ps Pashto, ro Roman Urdu.
SUMMARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "complaint": {
        "en": (
            "FIR not registered at police station in {d}",
            "Complaint against behaviour of traffic warden, {d}",
            "Mobile phone snatched near bus stand, {d}",
            "Motorcycle stolen from market parking",
            "Aerial firing at a wedding all night, {d}",
            "Harassment by unknown caller, needs help",
            "Delay in investigation of theft case ({d})",
            "Extortion call received by shopkeeper in {d}",
            "Staff absent at Police Khidmat Markaz, {d}",
            "Land dispute, threats from neighbours",
            "Bribe demanded for character certificate",
            "Blackmail on social media with fake account",
        ),
        "ur": (
            "تھانے میں ایف آئی آر درج نہیں کی جا رہی",
            "موٹر سائیکل چوری ہو گئی، کارروائی کی درخواست",
            "ٹریفک وارڈن کا رویہ درست نہیں تھا",
            "{d} میں ہوائی فائرنگ کی شکایت",
            "موبائل فون چھین لیا گیا",
            "نامعلوم نمبر سے ہراساں کیا جا رہا ہے",
            "{d} پولیس تفتیش میں تاخیر کر رہی ہے",
        ),
        "ps": (
            "زما موټرسایکل غلا شوی دی",
            "په {d} کې ټوله شپه ډزې کیږي",
            "پولیس زما شکایت نه اوري",
            "موبایل مې ترې واخیست، مرسته وکړئ",
            "په تھانه کې ایف آی آر نه لیکي",
        ),
        "ro": (
            "FIR darj nahi ho rahi, SHO sun nahi raha",
            "Mobile chori ho gaya hai, madad karein",
            "{d} mein raat bhar firing hoti hai",
            "Warden ne bad tameezi ki 😡",
            "Bhatta ki call aa rahi hai, dukan band karne ki dhamki",
        ),
    },
    "inquiry": {
        "en": (
            "How to apply for a police character certificate?",
            "Tenant registration procedure in {d}?",
            "Status of my complaint filed last week",
            "Where is the nearest Police Khidmat Markaz in {d}?",
            "Driving licence test schedule?",
            "Lost CNIC, how to get a police report?",
            "Constable recruitment test date?",
            "Is the road to {d} open today?",
        ),
        "ur": (
            "کریکٹر سرٹیفکیٹ کیسے بنوائیں؟",
            "کرایہ دار کا اندراج کہاں ہوتا ہے؟",
            "میری شکایت کی صورتحال کیا ہے؟",
            "پولیس بھرتی کا ٹیسٹ کب ہو گا؟",
            "{d} میں خدمت مرکز کے اوقات کیا ہیں؟",
        ),
        "ps": (
            "د کرایه دار معلومات چیرته ثبت کړم؟",
            "د کرېکټر سرټیفیکیټ لپاره څه کول پکار دي؟",
            "زما د شکایت څه حال دی؟",
        ),
        "ro": (
            "Character certificate kaise banega?",
            "Tenant registration ka tareeqa kya hai?",
            "Driving license renewal ki fees kitni hai?",
            "Meri complaint ka kya bana? 🙏",
        ),
    },
    "information_request": {
        "en": (
            "RTI: number of FIRs registered in {d} in 2024",
            "RTI: fuel budget of police stations, last fiscal year",
            "RTI: copy of the inquiry report in my case",
            "RTI: number of women police desks in {d}",
            "RTI: vacant posts of lady constables",
        ),
        "ur": (
            "معلومات تک رسائی: تھانوں میں خواتین ڈیسک کی تعداد",
            "معلومات تک رسائی: {d} میں درج مقدمات کی تفصیل",
        ),
        "ps": ("د معلوماتو غوښتنه: په {d} کې د ښځو ډیسکونه",),
        "ro": ("RTI ke tehat {d} ke thanon ki tafseel chahiye",),
    },
    "tip": {
        "en": (
            "Suspicious vehicle parked near school in {d}",
            "Drug selling near college gate",
            "Proclaimed offender seen in {d}",
            "Illegal gas cylinder refilling shop",
            "Wanted suspect hiding in a guest house",
        ),
        "ur": ("منشیات فروشی کی اطلاع", "{d} میں مشکوک افراد کی نقل و حرکت"),
        "ps": ("د نشه يي توکو پلورل کیږي", "په {d} کې مشکوک کسان ګرځي"),
        "ro": ("College ke bahar nasha bech rahe hain", "Mashkook gari khari hai {d} mein"),
    },
    "feedback": {
        "en": (
            "Thank you DPO {d} for quick action 🙏",
            "Great work by traffic police on Eid",
            "Appreciate the open court (khuli kachehri) in {d}",
            "Suggestion: more women staff at police stations",
            "Well done KP Police 👏👏",
        ),
        "ur": ("شکریہ کے پی پولیس ❤️", "{d} پولیس کی کارکردگی قابل تعریف ہے"),
        "ps": ("ډېره مننه د ښې همکارۍ لپاره", "د {d} پولیسو ښه کار 👍"),
        "ro": ("Shukriya KP Police 👍", "Zabardast kaam {d} police"),
    },
    "emergency": {
        "en": (
            "Firing reported, people injured, {d}",
            "Child missing since morning in {d}",
            "Woman locked in house by violent husband, urgent",
            "Road accident on the highway, need police",
            "Kidnapping threat call, family scared",
        ),
        "ur": ("فوری مدد درکار ہے، گھر میں ڈکیتی", "{d} میں فائرنگ، لوگ زخمی"),
        "ps": ("ژر مرسته وکړئ، کور ته غله راغلي", "په {d} کې ډزې، خلک ټپیان"),
        "ro": ("Foran madad chahiye, ghar mein dakait", "Bacha gum ho gaya hai {d} se"),
    },
}
CRISIS_SUMMARIES: dict[str, tuple[str, ...]] = {
    "en": (
        "Roads closed in {d}, when will they reopen?",
        "Firing in {d}, family stuck at home",
        "Need update on curfew timings in {d}",
        "Relative missing since the clashes in {d}",
        "Is the video about {d} on WhatsApp true?",
        "Convoy to {d} stopped, need safe passage",
    ),
    "ur": ("{d} میں حالات کیسے ہیں؟ راستے کب کھلیں گے؟", "{d} میں کرفیو کب ختم ہو گا؟"),
    "ps": ("په {d} کې لارې کله خلاصیږي؟", "په {d} کې زموږ خپلوان ورک دي"),
    "ro": ("{d} ka rasta kab khulega?", "{d} mein halaat kharab hain, madad karein 😢"),
}
# Summary script by language: (en, ur, ps, ro).
SCRIPT_MIX: dict[str, tuple[float, float, float, float]] = {
    "Urdu": (0.08, 0.50, 0.0, 0.42),
    "Pashto": (0.15, 0.25, 0.55, 0.05),
    "English": (1.0, 0.0, 0.0, 0.0),
    "": (0.3, 0.4, 0.0, 0.3),
}
SCRIPTS = ("en", "ur", "ps", "ro")
FORMULA_PAYLOAD = '=HYPERLINK("http://example.com/free-prize","Claim your prize")'
ODD_SUMMARIES = (
    "@DPO_Mardan plz help, no one is listening",
    "-- no details given --",
    "+92 caller, line dropped twice",
    "Caller said:\nthe same people came again at night",
)


# ---------------------------------------------------------------------------
# Reference data


@dataclass(frozen=True)
class _Districts:
    names: tuple[str, ...]
    regions: tuple[str, ...]
    merged: np.ndarray
    weights: np.ndarray
    aliases: dict[str, tuple[str, ...]]


def _load_districts() -> _Districts:
    raw = pd.read_csv(REFERENCE_DIR / "kp_districts.csv", dtype=str, keep_default_na=False)
    census = pd.read_csv(REFERENCE_DIR / "kp_census_2023.csv", dtype={"census_unit": str})
    population = census.set_index("census_unit")["population"].astype(float)
    per_unit = raw["census_unit"].map(raw["census_unit"].value_counts())
    weights = raw["census_unit"].map(population).to_numpy(float) / per_unit.to_numpy(float)
    aliases = {
        row.district: tuple(a.strip() for a in row.aliases.split(";") if a.strip())
        for row in raw.itertuples(index=False)
    }
    return _Districts(
        names=tuple(raw["district"]),
        regions=tuple(raw["police_region"]),
        merged=raw["merged_district"].str.lower().eq("yes").to_numpy(),
        weights=weights / weights.sum(),
        aliases=aliases,
    )


# ---------------------------------------------------------------------------
# Time: minutes since ``origin`` (naive Asia/Karachi wall clock)


class _Calendar:
    """Working days and business minutes of the cell, for vectorised shifts."""

    def __init__(self, origin: date, days: int):
        self.origin = origin
        dates = pd.date_range(origin, periods=days, freq="D")
        years = range(dates[0].year, dates[-1].year + 1)
        holiday = holidays_lib.country_holidays("PK", years=years)
        self.weekday = dates.day_of_week.to_numpy()
        listed = np.array(sorted(holiday), dtype="datetime64[D]")
        self.holiday = np.isin(dates.to_numpy().astype("datetime64[D]"), listed)
        self.working = (self.weekday != 6) & ~self.holiday
        minutes = np.where(self.working, _CLOSE - _OPEN, 0).astype(float)
        self.cum = np.concatenate([[0.0], np.cumsum(minutes)[:-1]])
        self.cum_end = self.cum + minutes
        self.days = days

    def day_of(self, t: np.ndarray) -> np.ndarray:
        days = np.floor(np.nan_to_num(np.asarray(t, float) / _DAY, nan=0.0))
        return np.clip(days, 0, self.days - 1).astype(np.int64)

    def business(self, t: np.ndarray) -> np.ndarray:
        """Business minutes from the origin up to ``t`` (NaN stays NaN)."""
        d = self.day_of(t)
        within = np.clip(t - d * _DAY - _OPEN, 0, _CLOSE - _OPEN)
        return self.cum[d] + np.where(self.working[d], within, 0.0)

    def wall(self, b: np.ndarray) -> np.ndarray:
        """The wall-clock time at which ``b`` business minutes have passed."""
        d = np.clip(np.searchsorted(self.cum_end, b, side="left"), 0, self.days - 1)
        return d * _DAY + _OPEN + (b - self.cum[d])  # NaN stays NaN

    def shift(self, t: np.ndarray, business_minutes: np.ndarray) -> np.ndarray:
        """``t`` plus a delay counted in business minutes (waits for opening)."""
        return np.maximum(self.wall(self.business(t) + business_minutes), t)


def _lognormal(rng: np.random.Generator, median, sigma, n: int) -> np.ndarray:
    return np.asarray(median, float) * np.exp(sigma * rng.standard_normal(n))


def _pick(rng: np.random.Generator, probs: Sequence[float], n: int) -> np.ndarray:
    p = np.asarray(probs, float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _pick_rows(rng: np.random.Generator, matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One draw per element of ``rows`` from the probability row ``matrix[rows]``."""
    cum = np.cumsum(matrix, axis=1)
    cum = cum / cum[:, -1:]
    u = rng.random(len(rows))
    return np.minimum((u[:, None] > cum[rows]).sum(axis=1), matrix.shape[1] - 1)


def _months_before(day: date, months: int) -> date:
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def fiscal_year(day: date) -> str:
    """Pakistan fiscal year (July-June) of ``day``, e.g. ``FY2024-25``."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"FY{start}-{(start + 1) % 100:02d}"


def default_end_date() -> date:
    """Today in Asia/Karachi."""
    return datetime.now(ZoneInfo(TIMEZONE)).date()


# ---------------------------------------------------------------------------
# The generator


def _item_volume(
    rng: np.random.Generator, cal: _Calendar, first: int, last: int, daily_volume: float
) -> np.ndarray:
    """Items per day for calendar days ``first..last-1`` (trend, week, holidays)."""
    day = np.arange(first, last)
    trend = 0.6 + 0.8 * (day - first) / max(last - first - 1, 1)
    factor = (
        trend * np.take(WEEKDAY_VOLUME, cal.weekday[day]) * np.where(cal.holiday[day], 0.7, 1.0)
    )
    lam = daily_volume * factor / factor.mean()
    return rng.poisson(lam)


def _time_of_day(rng: np.random.Generator, office: np.ndarray) -> np.ndarray:
    """Minutes after midnight: evening-heavy for social media, daytime for offices."""
    social = np.array([1.2, 0.8, 0.5, 0.3, 0.3, 0.5, 1.0, 1.8, 2.8, 3.8, 4.6, 5.0, 5.0, 4.8,
                       4.6, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6, 5.2, 3.8, 2.2])  # fmt: skip
    daytime = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 3.0, 5.0, 6.0, 6.0, 5.5, 5.0,
                        5.5, 5.5, 5.0, 4.0, 3.0, 2.5, 2.0, 1.5, 1.0, 0.6])  # fmt: skip
    matrix = np.vstack([social, daytime])
    hour = _pick_rows(rng, matrix, office.astype(int))
    return hour * 60.0 + rng.random(len(office)) * 60.0


def _sample_items(
    rng: np.random.Generator,
    cal: _Calendar,
    ref: _Districts,
    first: int,
    last: int,
    daily_volume: float,
    crisis_day: int,
) -> pd.DataFrame:
    channels = list(vocab.CHANNELS)
    names = np.array([*ref.names, ""], dtype=object)
    blank = len(ref.names)

    counts = _item_volume(rng, cal, first, last, daily_volume)
    day = np.repeat(np.arange(first, last), counts)
    n = len(day)
    channel = _pick(rng, [CHANNEL_MIX[c] for c in channels], n)
    p_blank = np.array([BLANK_DISTRICT.get(c, 0.0) for c in channels])[channel]
    district = _pick(rng, ref.weights, n)
    district = np.where(rng.random(n) < p_blank, blank, district)
    crisis = np.zeros(n, bool)

    # The crisis week: the crisis districts at 3-6.5x their normal volume,
    # people elsewhere commenting on it (no district) at about 2x.
    crisis_idx = [ref.names.index(d) for d in CRISIS_DISTRICTS]
    share = ref.weights[crisis_idx].sum() * 0.9
    extra_days, extra_district, extra_channel = [], [], []
    base = counts.mean()
    for k, factor in enumerate(CRISIS_PROFILE):
        d = crisis_day + k
        if not first <= d < last:
            continue
        expected = counts[d - first] if counts[d - first] else base
        m = rng.poisson(expected * share * (factor - 1.0))
        extra_days.append(np.full(m, d))
        extra_district.append(
            rng.choice(
                crisis_idx, size=m, p=ref.weights[crisis_idx] / ref.weights[crisis_idx].sum()
            )
        )
        extra_channel.append(_pick(rng, [CRISIS_CHANNEL_MIX.get(c, 0.0) for c in channels], m))
        c = rng.poisson(expected * 0.1 * (factor - 1.0) / 3.0)
        extra_days.append(np.full(c, d))
        extra_district.append(np.full(c, blank))
        extra_channel.append(_pick(rng, [CRISIS_CHANNEL_MIX.get(ch, 0.0) for ch in channels], c))
    if extra_days:
        day = np.concatenate([day, *extra_days])
        district = np.concatenate([district, *extra_district])
        channel = np.concatenate([channel, *extra_channel])
        crisis = np.concatenate([crisis, np.ones(len(day) - n, bool)])
        n = len(day)

    channel_name = np.array(channels, dtype=object)[channel]
    office = np.isin(channel_name, ["Helpline phone", "Toll-free 0800", "Walk-in", "Letter",
                                    "Pakistan Citizen Portal", "Email", "RTI request"])  # fmt: skip
    minute = _time_of_day(rng, office)
    # Walk-ins and letters arrive on working days, in office hours.
    counter = np.isin(channel_name, ["Walk-in", "Letter"])
    if counter.any():
        work_days = np.flatnonzero(cal.working[:last])
        k = np.searchsorted(work_days, day[counter])
        # The next working day, or the previous one at the end of the period.
        k = np.where(k < len(work_days), k, len(work_days) - 1)
        day[counter] = work_days[k]
        minute[counter] = _OPEN + 15 + rng.random(counter.sum()) * (_CLOSE - _OPEN - 45)
    received = day * _DAY + minute

    category = _pick_rows(
        rng, np.array([CATEGORY_MIX[c] for c in channels]), channel
    )  # index in vocab.CATEGORIES
    if crisis.any():
        category[crisis] = _pick(rng, CRISIS_CATEGORY_MIX, crisis.sum())
        category[crisis & (channel_name == "RTI request")] = 2

    merged = np.concatenate([ref.merged, [False]])[district]
    gender_mix = np.array([GENDER_MIX[c] for c in channels])[channel]
    female = gender_mix[:, 0] * np.where(merged, 0.6, 1.05)
    trans = gender_mix[:, 1]
    unknown = gender_mix[:, 2]
    u = rng.random(n)
    gender = np.where(
        u < female,
        "female",
        np.where(
            u < female + trans,
            "transgender",
            np.where(u < female + trans + unknown, "unknown", "male"),
        ),
    ).astype(object)

    lang_rows = np.array([LANGUAGE_MIX.get(name, _LANG_DEFAULT) for name in names], dtype=float)
    language = np.array(vocab.LANGUAGES, dtype=object)[_pick_rows(rng, lang_rows, district)]
    language[rng.random(n) < 0.01] = ""

    frame = pd.DataFrame(
        {
            "received": received,
            "channel": _objects(channel_name),
            "category": _objects(np.array(vocab.CATEGORIES, dtype=object)[category]),
            "district": _objects(names[district]),
            "district_idx": district,
            "merged": merged,
            "requester_gender": _objects(gender),
            "language": _objects(language),
            "crisis": crisis,
        }
    )
    return frame.sort_values("received", kind="stable").reset_index(drop=True)


def _lifecycle(
    rng: np.random.Generator, cal: _Calendar, ref: _Districts, items: pd.DataFrame, crisis_day: int
) -> pd.DataFrame:
    """The true times of every step, in minutes since the origin (NaN: never)."""
    n = len(items)
    recv = items["received"].to_numpy()
    channel = items["channel"].to_numpy()
    category = items["category"].to_numpy()
    district = items["district_idx"].to_numpy()
    known = items["district"].to_numpy() != ""
    merged = items["merged"].to_numpy()
    social = np.isin(channel, list(vocab.SOCIAL_CHANNELS))
    day = cal.day_of(recv)
    weekday = cal.weekday[day]

    # Crisis backlog: the week itself and the week after.
    crisis_week = (day >= crisis_day) & (day < crisis_day + 7)
    after_week = (day >= crisis_day + 7) & (day < crisis_day + 14)
    in_crisis_district = (
        items["crisis"].to_numpy()
        | np.isin(items["district"].to_numpy(), CRISIS_DISTRICTS) & crisis_week
    )
    load = np.where(crisis_week, 4.0, np.where(after_week, 2.0, 1.0))
    load = load * np.where(in_crisis_district, 1.5, 1.0)

    # What kind of item this is.
    u = rng.random(n)
    spam = social & (u < 0.013)
    duplicate = np.isin(channel, ["Facebook", "WhatsApp", "X"]) & (u >= 0.013) & (u < 0.018)
    not_item = spam | duplicate
    no_reply = ~not_item & (
        ((category == "feedback") & (rng.random(n) < 0.35))
        | ((category == "inquiry") & social & (rng.random(n) < 0.02))
    )
    unanswered = (
        ~not_item & ~no_reply & social & (category != "emergency") & (rng.random(n) < 0.015)
    )
    emergency = category == "emergency"
    priority = np.full(n, "normal", dtype=object)
    pu = rng.random(n)
    priority[(category == "complaint") & (pu < 0.12)] = "high"
    priority[(category == "complaint") & (pu >= 0.12) & (pu < 0.14)] = "urgent"
    priority[(category == "tip") & (pu < 0.20)] = "high"
    priority[(category == "information_request") & (pu < 0.08)] = "urgent"
    priority[emergency] = "urgent"

    # First human reply: business time in staffed hours (nights, Sundays and
    # holidays wait for the morning), slower on Friday (Jumu'ah), a duty
    # officer answering some out-of-hours social messages, emergencies 24/7.
    median = _per_channel(channel, FIRST_REPLY_MEDIAN, 60.0)
    median = median * np.where(weekday == 4, 1.6, 1.0) * load * np.where(merged, 1.1, 1.0)
    fr = cal.shift(recv, _lognormal(rng, median, 0.85, n))
    minute = recv - day * _DAY
    out_of_hours = ~cal.working[day] | (minute < _OPEN) | (minute >= _CLOSE)
    duty = (social | np.isin(channel, EVENT_CHANNELS)) & out_of_hours & (rng.random(n) < 0.18)
    fr = np.where(duty, recv + _lognormal(rng, 40.0 * load, 0.7, n), fr)
    fr = np.where(emergency, recv + _lognormal(rng, 4.0 * load, 0.7, n), fr)

    # Referral to the RPO/DPO and the district's field steps (calendar time;
    # merged districts 1.5-2x slower, each district its own pace).
    p_refer = (
        pd.Series(category)
        .map(
            {
                "complaint": 0.80,
                "inquiry": 0.20,
                "information_request": 0.25,
                "tip": 0.85,
                "feedback": 0.02,
                "emergency": 0.95,
            }  # fmt: skip
        )
        .to_numpy()
    )
    referred = ~not_item & ~no_reply & ~unanswered & known & (rng.random(n) < p_refer)
    pace = np.exp(0.3 * rng.standard_normal(len(ref.names) + 1))[district]
    field = pace * np.where(merged, 1.75, 1.0) * np.sqrt(load)
    ref_t = cal.shift(fr, _lognormal(rng, 25.0 * load, 1.0, n))
    ref_t = np.where(emergency, fr + _lognormal(rng, 8.0, 0.6, n), ref_t)
    ack = ref_t + _lognormal(rng, 5.0 * 60 * field, 1.1, n)
    ack = np.where(emergency, ref_t + _lognormal(rng, 40.0 * field, 0.7, n), ack)
    report = ack + _lognormal(rng, 24.0 * 60 * field, 0.8, n)
    report = np.where(emergency, ack + _lognormal(rng, 8.0 * 60, 0.7, n), report)
    stalled = rng.random(n) < np.where(in_crisis_district, 0.12, 0.01)
    report = np.where(stalled, report + _lognormal(rng, 20.0 * _DAY, 0.6, n), report)

    # Resolution.
    res = np.full(n, np.nan)
    res = np.where(referred, cal.shift(report, _lognormal(rng, 90.0, 0.9, n)), res)
    res = np.where(referred & emergency, report + _lognormal(rng, 120.0, 0.6, n), res)
    plain = ~not_item & ~no_reply & ~unanswered & ~referred
    with_reply = rng.random(n) < 0.55
    later = {
        "inquiry": cal.shift(fr, _lognormal(rng, 180.0 * load, 1.0, n)),
        "complaint": cal.shift(fr, _lognormal(rng, 600.0 * load, 1.0, n)),
        "tip": cal.shift(fr, _lognormal(rng, 60.0 * load, 1.0, n)),
        "emergency": fr + _lognormal(rng, 120.0, 0.6, n),
        "feedback": fr,
    }
    rti_days = np.where(priority == "urgent", 0.8, 3.5) * 480.0
    later["information_request"] = np.maximum(
        cal.shift(recv, _lognormal(rng, rti_days * np.sqrt(load), 0.55, n)), fr
    )
    for name, when in later.items():
        mask = plain & (category == name)
        if name == "inquiry":
            when = np.where(with_reply, fr, when)
        res = np.where(mask, when, res)
    res = np.where(plain & stalled & ~emergency, res + _lognormal(rng, 20.0 * _DAY, 0.6, n), res)
    rti = referred & (category == "information_request")
    res = np.where(rti, np.maximum(res, later["information_request"]), res)
    never = ~not_item & (rng.random(n) < 0.001)
    res = np.where(never, np.nan, res)
    # Unanswered social comments are closed in a weekly clean-up, unreplied.
    sweep = cal.shift(recv + 7 * _DAY, _lognormal(rng, 60.0, 0.5, n))
    res = np.where(unanswered, sweep, res)
    fr = np.where(not_item | no_reply | unanswered, np.nan, fr)

    # Reopening after a resolution and the second resolution.
    p_reopen = np.where(category == "complaint", 0.045, 0.015)
    reopen = ~np.isnan(res) & ~unanswered & (rng.random(n) < p_reopen)
    reo = np.where(reopen, res + _lognormal(rng, 3.0 * _DAY, 0.7, n), np.nan)
    res2 = np.where(reopen, cal.shift(reo, _lognormal(rng, 960.0, 0.8, n)), np.nan)

    # Satisfaction survey for about a third of resolved requests (not feedback).
    p_survey = np.where(category == "feedback", 0.0, 0.33)
    surveyed = ~np.isnan(res) & ~unanswered & (rng.random(n) < p_survey)
    final = np.where(reopen, res2, res)
    slow = (final - recv) > 5 * _DAY
    p_sat = np.where(reopen, 0.55, np.where(slow, 0.68, 0.86))
    su = rng.random(n)
    satisfaction = np.where(su < p_sat, "satisfied", np.where(su < p_sat + 0.07, "neutral",
                                                               "dissatisfied"))  # fmt: skip
    satisfaction = np.where(surveyed, satisfaction, "").astype(object)

    kind = np.where(spam, "spam", np.where(duplicate, "duplicate", np.where(
        no_reply, "no_reply_needed", "item")))  # fmt: skip
    out = items.copy()
    out["kind"] = _objects(kind)
    out["priority"] = _objects(priority)
    out["first_response"] = fr
    out["referred_at"] = np.where(referred, ref_t, np.nan)
    out["field_ack"] = np.where(referred, ack, np.nan)
    out["field_report"] = np.where(referred, report, np.nan)
    out["resolved_first"] = res
    out["reopened"] = reo
    out["resolved_again"] = res2
    out["unanswered"] = unanswered
    out["closed_flag"] = rng.random(n) < 0.12
    out["satisfaction_truth"] = _objects(satisfaction)
    out["events"] = np.isin(channel, EVENT_CHANNELS)
    return out


def _objects(values: object) -> pd.Series:
    """A text column kept as Python objects (cheap to mask, copy and write)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _choice(rng: np.random.Generator, options: Sequence[str], n: int) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(len(options), size=n)]


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    return np.array([f"{v:0{width}d}" for v in values.tolist()], dtype=object)


def _per_channel(channel: np.ndarray, values: dict[str, float], default: float) -> np.ndarray:
    """``values[channel]`` for each item (``default`` for channels not listed)."""
    table = np.array([values.get(c, default) for c in vocab.CHANNELS], dtype=float)
    codes = pd.Categorical(channel, categories=list(vocab.CHANNELS)).codes
    return np.where(codes >= 0, table[codes], default)


def _summaries(rng: np.random.Generator, items: pd.DataFrame) -> np.ndarray:
    """Short summaries in the requester's language (English, Urdu or Pashto
    script, Roman Urdu), about the district when one is known."""
    n = len(items)
    language = items["language"].to_numpy(object)
    keys = list(SCRIPT_MIX)
    codes = {k: i for i, k in enumerate(keys)}
    lang_code = pd.Series(language).map(codes).fillna(codes[""]).to_numpy(int)
    script = _pick_rows(rng, np.array(list(SCRIPT_MIX.values())), lang_code)
    district = items["district"].to_numpy(object)
    blank = district == ""
    category = items["category"].to_numpy(object)
    crisis = items["crisis"].to_numpy(bool)
    pick = rng.random(n)

    templates: list[str] = []
    pools: dict[tuple[bool, str, str, bool], np.ndarray] = {}

    def pool(key: tuple[bool, str, str, bool]) -> np.ndarray:
        if key not in pools:
            is_crisis, cat, scr, no_district = key
            texts = (CRISIS_SUMMARIES if is_crisis else SUMMARIES[cat]).get(scr) or SUMMARIES[
                cat
            ]["en"]  # fmt: skip
            if no_district:
                texts = [t for t in texts if "{d}" not in t] or [
                    t for t in SUMMARIES[cat]["en"] if "{d}" not in t
                ]
            pools[key] = np.arange(len(templates), len(templates) + len(texts))
            templates.extend(texts)
        return pools[key]

    chosen = np.empty(n, dtype=np.int64)
    codes = pd.DataFrame({"c": crisis, "k": category, "s": script, "b": blank})
    for (is_crisis, cat, scr, no_district), rows in codes.groupby(
        ["c", "k", "s", "b"], sort=True
    ).indices.items():
        options = pool((bool(is_crisis), str(cat), SCRIPTS[int(scr)], bool(no_district)))
        chosen[rows] = options[(pick[rows] * len(options)).astype(int)]
    parts = [t.split("{d}", 1) if "{d}" in t else [t, None] for t in templates]
    before = np.array([p[0] for p in parts], dtype=object)[chosen]
    after = np.array([p[1] for p in parts], dtype=object)[chosen]
    has_district = np.array([p[1] is not None for p in parts])[chosen]
    summary = np.where(has_district, before + np.where(blank, "KP", district) + np.where(
        has_district, after, ""), before)  # fmt: skip
    odd = np.flatnonzero(rng.random(n) < 0.002)
    summary[odd] = np.array(ODD_SUMMARIES, dtype=object)[np.arange(len(odd)) % len(ODD_SUMMARIES)]
    return summary


def _people(rng: np.random.Generator, ref: _Districts, items: pd.DataFrame) -> pd.DataFrame:
    """Fake requester details, summaries and referral offices."""
    n = len(items)
    channel = items["channel"].to_numpy(object)
    gender = items["requester_gender"].to_numpy(object)
    social = np.isin(channel, list(vocab.SOCIAL_CHANNELS - {"WhatsApp"}))

    male = _choice(rng, MALE_NAMES, n)
    female = _choice(rng, FEMALE_NAMES, n)
    trans = _choice(rng, TRANS_NAMES, n)
    family = _choice(rng, FAMILY_NAMES, n)
    female_family = _choice(rng, FEMALE_FAMILY, n)
    handle = _choice(rng, HANDLES, n)
    first = np.where(gender == "female", female, np.where(gender == "transgender", trans, male))
    last = np.where(gender == "female", female_family, family)
    name = first + " " + last
    name = np.where((gender == "unknown") & social, handle, name)
    name_p = np.where(social, 0.85, np.where(channel == "SMS 8855", 0.3, 0.92))
    name = np.where(rng.random(n) < name_p, name, "")

    def share(values: dict[str, float], default: float) -> np.ndarray:
        return _per_channel(channel, values, default)

    phone_p = share(
        {"WhatsApp": 1.0, "Helpline phone": 0.97, "Toll-free 0800": 0.97, "SMS 8855": 1.0,
         "Walk-in": 0.8, "Pakistan Citizen Portal": 0.7, "Letter": 0.3, "Email": 0.2,
         "Web portal": 0.5, "RTI request": 0.5},
        0.06,
    )  # fmt: skip
    number = rng.integers(0, 100000, size=n)
    phone = _choice(rng, MOBILE_PREFIXES, n) + "-00" + _digits(number, 5)
    phone = np.where(rng.random(n) < phone_p, phone, "")

    cnic_p = share(
        {"Walk-in": 0.6, "Pakistan Citizen Portal": 0.5, "Letter": 0.4, "RTI request": 0.7,
         "Helpline phone": 0.15, "Toll-free 0800": 0.15},
        0.01,
    )  # fmt: skip
    # The last digit of a CNIC is even for women and odd for men.
    sex_digit = rng.integers(0, 5, size=n) * 2 + np.where(gender == "female", 0, 1)
    cnic = (
        _choice(rng, CNIC_PREFIXES, n)
        + "-0000"
        + _digits(rng.integers(0, 1000, size=n), 3)
        + "-"
        + sex_digit.astype(str).astype(object)
    )
    cnic = np.where(rng.random(n) < cnic_p, cnic, "")

    email_p = share(
        {"Email": 1.0, "Web portal": 0.8, "Pakistan Citizen Portal": 0.4, "RTI request": 0.3},
        0.005,
    )
    stem = np.where(name == "", "citizen", name)
    slugs = {s: re.sub(r"[^a-z0-9]+", ".", s.lower()).strip(".") for s in set(stem)}
    email = (
        pd.Series(stem).map(slugs).to_numpy(object)
        + (number % 1000).astype(str).astype(object)
        + "@"
        + _choice(rng, EMAIL_DOMAINS, n)
    )
    email = np.where(rng.random(n) < email_p, email, "")

    # Referral office: the DPO of the district, sometimes the regional RPO;
    # Capital City Police Peshawar for Peshawar.
    district = items["district"].to_numpy(object)
    index = items["district_idx"].to_numpy(int)
    region = np.array([*ref.regions, ""], dtype=object)[index]
    rpo = rng.random(n) < 0.25
    office = np.where(rpo, "RPO " + region, "DPO " + district)
    capital = (region == "CCPO Peshawar") & (rpo | (district == "Peshawar"))
    office = np.where(capital, "CCPO Peshawar", office)
    office = np.where(district == "", "", office)

    return pd.DataFrame(
        {
            "summary": _objects(_summaries(rng, items)),
            "requester_name": _objects(name),
            "requester_phone": _objects(phone),
            "requester_cnic": _objects(cnic),
            "requester_email": _objects(email),
            "referred_to": _objects(office),
        }
    )


_STEP_COLUMNS = {
    "first_response_at": "first_response",
    "referred_at": "referred_at",
    "field_ack_at": "field_ack",
    "field_report_at": "field_report",
}


def _snapshot(items: pd.DataFrame, cutoff: float) -> dict[str, np.ndarray]:
    """Register values as the cell would have exported them at ``cutoff``.

    Timestamps are minutes (NaN: blank); later steps than ``cutoff`` are not
    yet known and the status follows from what is.
    """

    def known(column: str) -> np.ndarray:
        values = items[column].to_numpy(float)
        return np.where(values < cutoff, values, np.nan)

    out = {"received_at": items["received"].to_numpy(float)}
    for column, source in _STEP_COLUMNS.items():
        out[column] = known(source)
    first, again, reopened = known("resolved_first"), known("resolved_again"), known("reopened")
    resolved_at = np.where(~np.isnan(again), again, first)
    out["resolved_at"] = resolved_at
    out["reopened_at"] = reopened
    kind = items["kind"].to_numpy(object)
    status = np.select(
        [
            kind != "item",
            ~np.isnan(reopened) & np.isnan(again),
            ~np.isnan(resolved_at),
            ~np.isnan(out["referred_at"]),
            ~np.isnan(out["first_response_at"]),
        ],
        [kind, "reopened", "resolved", "referred", "in_progress"],
        default="open",
    ).astype(object)
    old = resolved_at < cutoff - 14 * _DAY
    closed = (status == "resolved") & (
        (items["closed_flag"].to_numpy() & old) | items["unanswered"].to_numpy()
    )
    status[closed] = "closed"
    out["status"] = status
    done = np.isin(status, ["resolved", "closed"]) & (resolved_at < cutoff - _DAY)
    out["satisfaction"] = np.where(done, items["satisfaction_truth"].to_numpy(object), "")
    return out


# ---------------------------------------------------------------------------
# Writing (Arrow compute builds the text: pandas' CSV writer and openpyxl's
# cell writer take seconds for 100,000 rows, this takes a fraction of one)


def _to_datetime64(minutes: np.ndarray, origin: datetime) -> np.ndarray:
    seconds = np.round(np.nan_to_num(minutes, nan=0.0) * 60.0).astype(np.int64)
    values = np.datetime64(origin, "s") + seconds.astype("timedelta64[s]")
    return np.where(np.isnan(minutes), np.datetime64("NaT"), values)


def _minute_str(minutes: float, origin: datetime) -> str:
    return (origin + timedelta(minutes=float(np.floor(minutes)))).strftime("%Y-%m-%d %H:%M")


def _time_text(minutes: np.ndarray, origin: datetime, *, seconds: bool = False) -> pa.Array:
    """Minutes since ``origin`` as ``YYYY-MM-DD HH:MM`` (``:SS`` with ``seconds``).

    Register times are floored to the minute, as staff type them; a system
    log keeps its seconds. Blank for NaN.
    """
    minutes = np.asarray(minutes, float)
    missing = np.isnan(minutes)
    step = np.nan_to_num(minutes) if seconds else np.floor(np.nan_to_num(minutes))
    offsets = np.floor(step * 60.0 + 1e-6).astype(np.int64).astype("timedelta64[s]")
    stamps = np.datetime64(origin, "s") + offsets
    text = pa.array(np.datetime_as_string(stamps, unit="s" if seconds else "m"))
    text = pc.replace_substring(text, "T", " ")
    return pc.if_else(pa.array(missing), "", text)


def _text_array(values: object) -> pa.Array:
    """Text for writing; missing values (None, NaN) become empty strings."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array(values, from_pandas=True)
    if values.type != pa.string():
        values = pc.cast(values, pa.string())
    return pc.fill_null(values, "")


def _csv_field(values: pa.Array) -> pa.Array:
    """Quote a field as Excel does: only when it holds a quote, comma or line break."""
    special = '[",\r\n]'
    # Most columns hold few distinct values: look at those before every row.
    if not pc.any(pc.match_substring_regex(pc.unique(values), special)).as_py():
        return values
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(values, special), quoted, values)


def _csv_bytes(columns: dict[str, object], *, bom: bool = True, crlf: bool = True) -> bytes:
    """CSV text of ``columns`` (name -> values): with BOM and CRLF as Excel writes it."""
    eol = "\r\n" if crlf else "\n"
    fields = [_csv_field(_text_array(values)) for values in columns.values()]
    header = ",".join(columns)
    lines = pc.binary_join_element_wise(*fields, ",").to_pylist() if len(fields[0]) else []
    text = eol.join([header, *lines]) + eol
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def _normalise_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a workbook with fixed entry times and document dates.

    ``replace`` gives new contents for some entries (name -> bytes).
    """
    stamp = "2023-09-04T00:00:00Z"
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    # Fast deflate: a workbook of 20,000 rows compresses in a tenth of the time.
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename) or source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp.encode() + m.group(3),
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content, compresslevel=1)
    return target_buffer.getvalue()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _excel_serial(stamps: np.ndarray) -> np.ndarray:
    """Excel serial day numbers of ``datetime64`` values (NaN for NaT)."""
    stamps = np.asarray(stamps, dtype="datetime64[s]")
    serial = (stamps - _EXCEL_EPOCH) / np.timedelta64(86400, "s")
    return np.where(serial < 61, serial - 1, serial)  # Excel's 29 February 1900


def _xlsx_bytes(
    columns: Sequence[str],
    rows: dict[str, object],
    datetime_columns: Sequence[str],
    *,
    sheet: str = "Register",
    extra_sheets: Sequence[tuple[str, Sequence[Sequence[str]]]] = (),
    widths: dict[str, float] | None = None,
) -> bytes:
    """A workbook whose first sheet is a header row of ``columns`` and then ``rows``.

    openpyxl writes the package (styles with a datetime format, the bold
    header, frozen first row, further sheets); the data rows' XML is built
    here. ``rows`` maps column -> values: Excel serial numbers (float, NaN
    for blank) for ``datetime_columns``, which become real Excel datetimes
    shown as ``yyyy-mm-dd hh:mm``; text for the others.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A2"
    for index, name in enumerate(columns):
        width = (widths or {}).get(name, 16 if name.endswith("_at") else 14)
        ws.column_dimensions[_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    probe = WriteOnlyCell(ws, value=datetime(2023, 9, 4, 10, 0))
    probe.number_format = "yyyy-mm-dd hh:mm"
    ws.append([probe])
    for title, table in extra_sheets:
        extra = wb.create_sheet(title)
        for row in table:
            extra.append(list(row))
    raw = io.BytesIO()
    wb.save(raw)

    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    sheet_xml = source.read("xl/worksheets/sheet1.xml").decode("utf-8")
    style = re.search(r'<c r="A2" s="(\d+)"', sheet_xml)
    date_style = style.group(1) if style else "1"
    n = len(next(iter(rows.values()))) if rows else 0
    body = ""
    if n:
        number = pa.array(np.arange(2, n + 2).astype(str))
        cells = []
        for index, name in enumerate(columns):
            start = f'<c r="{_column_letter(index)}'
            if name in datetime_columns:
                serial = np.asarray(rows[name], float)
                value = pc.cast(pa.array(serial, mask=np.isnan(serial)), pa.string())
                cell = pc.binary_join_element_wise(
                    start, number, f'" s="{date_style}"><v>', value, "</v></c>", ""
                )
            else:
                text = _text_array(rows[name])
                escaped = pc.replace_substring_regex(text, r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "")
                for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
                    escaped = pc.replace_substring(escaped, char, entity)
                cell = pc.binary_join_element_wise(
                    start,
                    number,
                    '" t="inlineStr"><is><t xml:space="preserve">',
                    escaped,
                    "</t></is></c>",
                    "",
                )
                cell = pc.if_else(pc.equal(text, ""), "", cell)
            cells.append(pc.fill_null(cell, ""))
        lines = pc.binary_join_element_wise('<row r="', number, '">', *cells, "</row>", "")
        body = "".join(lines.to_pylist())
    start = sheet_xml.index('<row r="2"')
    end = sheet_xml.index("</sheetData>")
    sheet_xml = sheet_xml[:start] + body + sheet_xml[end:]

    return _normalise_zip(raw.getvalue(), {"xl/worksheets/sheet1.xml": sheet_xml.encode()})


# The Excel register was typed with capitalised words and blank for unknown.
_XLSX_CASE: dict[str, dict[str, str]] = {
    "requester_gender": {"female": "Female", "male": "Male", "transgender": "Transgender",
                         "unknown": ""},
    "category": {"complaint": "Complaint", "inquiry": "Inquiry",
                 "information_request": "Information request", "tip": "Tip",
                 "feedback": "Feedback", "emergency": "Emergency"},
    "priority": {"normal": "Normal", "high": "High", "urgent": "Urgent"},
    "status": {"open": "Open", "in_progress": "In progress", "referred": "Referred",
               "resolved": "Resolved", "closed": "Closed", "reopened": "Reopened",
               "no_reply_needed": "No reply needed", "spam": "Spam", "duplicate": "Duplicate"},
    "satisfaction": {"satisfied": "Satisfied", "neutral": "Neutral",
                     "dissatisfied": "Dissatisfied"},
}  # fmt: skip
_TIME_COLUMNS = tuple(c for c in INQUIRY_COLUMNS if c.endswith("_at"))


# ---------------------------------------------------------------------------
# Bad rows


def _plant(
    rng: np.random.Generator,
    files: dict[str, pd.DataFrame],
    eligible: dict[str, np.ndarray],
    next_seq: dict[str, int],
    xlsx_names: list[str],
    csv_names: list[str],
    origin: datetime,
) -> list[tuple[str, str, str]]:
    """Insert one bad row of each kind into the register files.

    ``files`` hold register rows with timestamps as minutes; a planted value
    that is not a time goes into ``<column>__text``, which the writers prefer.
    Returns (file, inquiry_id, reason) for each bad row.
    """
    kinds = [
        ("xlsx", "ambiguous district 'Chitral' (Upper or Lower Chitral)"),
        ("xlsx", "sentinel date 1900-01-01 in resolved_at"),
        ("xlsx", "received_at is blank"),
        ("csv", "unknown district 'Gilgit' (not in Khyber Pakhtunkhwa)"),
        ("csv", "ambiguous district 'South Waziristan' (Upper or Lower)"),
        ("csv", "unknown channel spelling 'Facbook'"),
        ("csv", "resolved_at before received_at"),
        ("csv", "resolved_at in the year 3019"),
        ("csv", "received_at 'kal shaam 5 baje' is not a timestamp"),
        ("csv", "duplicate inquiry_id within the file"),
    ]
    csv_targets = [n for n in csv_names if len(eligible.get(n, ())) > 20] or csv_names
    xlsx_targets = [n for n in xlsx_names if len(eligible.get(n, ())) > 20] or csv_targets
    planted: list[tuple[str, str, str]] = []
    csv_turn = 0
    for kind_no, (where, reason) in enumerate(kinds):
        if where == "xlsx":
            name = xlsx_targets[kind_no % len(xlsx_targets)]
        else:
            name = csv_targets[csv_turn % len(csv_targets)]
            csv_turn += 1
        frame = files[name]
        pool = eligible[name] if len(eligible[name]) else np.arange(len(frame))
        needs_resolved = "resolved_at" in reason
        if needs_resolved:
            resolved = frame.loc[pool, "resolved_at"].notna().to_numpy()
            pool = pool[resolved] if resolved.any() else pool
        source = int(pool[rng.integers(len(pool))])
        row = frame.loc[source].copy()
        month = row["inquiry_id"][5:9]
        if "duplicate" in reason:
            # Another item typed in with the id of the row above it.
            near = pool[np.abs(pool - source) <= 40]
            other = int(near[rng.integers(len(near))])
            row = frame.loc[other].copy()
            new_id = frame.loc[source, "inquiry_id"]
            shift = frame.loc[source, "received_at"] + 3.0 - row["received_at"]
            for column in _TIME_COLUMNS:
                row[column] = row[column] + shift  # NaN stays NaN
            planted.append((name, new_id, reason))
        else:
            next_seq[month] = next_seq.get(month, 0) + 1
            new_id = f"KPMC-{month}-{next_seq[month]:06d}"
        row["inquiry_id"] = new_id
        if "Chitral" in reason:
            row["district"] = "Chitral"
        elif "Gilgit" in reason:
            row["district"] = "Gilgit"
        elif "South Waziristan" in reason:
            row["district"] = "South Waziristan"
        elif "Facbook" in reason:
            row["channel"] = "Facbook"
        elif "1900" in reason:
            row["resolved_at__text"] = "1900-01-01 00:00"
        elif "blank" in reason:
            row["received_at"] = np.nan
        elif "before" in reason:
            row["resolved_at"] = row["received_at"] - 2 * _DAY - 130.0
        elif "3019" in reason:
            # The right day and time with the year mistyped.
            row["resolved_at__text"] = "3019" + _minute_str(row["resolved_at"], origin)[4:]
        elif "kal shaam" in reason:
            row["received_at__text"] = "kal shaam 5 baje"
        frame = pd.concat(
            [frame.loc[:source], row.to_frame().T, frame.loc[source + 1 :]], ignore_index=True
        )
        frame.index = range(len(frame))
        files[name] = frame
        # Keep the eligible positions in step with the inserted row.
        eligible[name] = np.where(eligible[name] > source, eligible[name] + 1, eligible[name])
        planted.append((name, new_id, reason))
    return planted


# ---------------------------------------------------------------------------
# Public API


def crisis_week_start(end_date: date) -> date:
    """The demo's crisis week starts on the Monday about four months before ``end_date``.

    Every demo export (register, social) puts its crisis in the same week.
    """
    crisis_date = end_date - timedelta(days=120)
    return crisis_date - timedelta(days=crisis_date.weekday())


def generate_demo(
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    daily_volume: float = 160.0,
    progress: Progress | None = None,
) -> DemoData:
    """Make the demo exports in memory (see :func:`write_demo_files`)."""
    if months < 2:
        raise ValueError("months must be at least 2")
    if daily_volume <= 0:
        raise ValueError("daily_volume must be positive")
    say = progress or (lambda fraction, message: None)
    end_date = end_date or default_end_date()
    rng = np.random.default_rng(seed)
    ref = _load_districts()

    start = _months_before(end_date, months)
    origin = start - timedelta(days=1)
    first, last = 1, (end_date - origin).days  # calendar days with items: start..end_date-1
    cal = _Calendar(origin, last + 400)
    as_of = float(last) * _DAY  # 00:00 on end_date
    crisis_date = crisis_week_start(end_date)
    crisis_day = (crisis_date - origin).days

    say(0.05, "Sampling inquiries")
    items = _sample_items(rng, cal, ref, first, last, daily_volume, crisis_day)
    say(0.25, f"Timing replies, referrals and resolutions of {len(items):,} items")
    items = _lifecycle(rng, cal, ref, items, crisis_day)
    items = pd.concat([items, _people(rng, ref, items)], axis=1)

    # Ids: KPMC-YYMM-NNNNNN, numbered by month in order of receipt.
    received = _to_datetime64(
        items["received"].to_numpy(), datetime.combine(origin, datetime.min.time())
    )
    months_seen, month_code = np.unique(received.astype("datetime64[M]"), return_inverse=True)
    month_names = [str(m) for m in np.datetime_as_string(months_seen, unit="M")]  # 2024-03
    month = np.array(month_names, dtype=object)[month_code]
    yymm_names = [m[2:4] + m[5:7] for m in month_names]
    yymm = np.array(yymm_names, dtype=object)[month_code]
    seq = pd.Series(1, index=items.index).groupby(month_code).cumsum().to_numpy()
    items["inquiry_id"] = _objects("KPMC-" + yymm + "-" + _digits(seq, 6))
    items["month"] = _objects(month)
    counts = np.bincount(month_code, minlength=len(month_names))
    next_seq = {m: int(c) for m, c in zip(yymm_names, counts, strict=True)}

    # Spellings staff type: district and channel aliases in the CSVs.
    alias_rng = rng.random(len(items))
    district_text = items["district"].to_numpy(object).copy()
    for i in np.flatnonzero(alias_rng < 0.06):
        options = ref.aliases.get(district_text[i], ())
        if options:
            district_text[i] = options[int(alias_rng[i] * 1e6) % len(options)]
    for i in np.flatnonzero((alias_rng >= 0.06) & (alias_rng < 0.075)):
        district_text[i] = district_text[i].upper()
    channel_text = items["channel"].to_numpy(object).copy()
    for i in np.flatnonzero(rng.random(len(items)) < 0.05):
        options = CHANNEL_SPELLINGS[channel_text[i]]
        channel_text[i] = options[i % len(options)]
    items["district_text"] = _objects(district_text)
    items["channel_text"] = _objects(channel_text)
    # One link payload that looks like a spreadsheet formula: text, not a formula.
    social_rows = np.flatnonzero(
        (items["channel"].to_numpy() == "Facebook") & ~items["events"].to_numpy()
    )
    payload_row = int(social_rows[len(social_rows) * 2 // 3]) if len(social_rows) else 0
    items.loc[payload_row, "summary"] = FORMULA_PAYLOAD

    # Which file each item goes to.
    month_list = sorted(items["month"].unique())
    n_xlsx = min(6, max(1, len(month_list) * 3 // 10), len(month_list) - 1)
    xlsx_months = month_list[:n_xlsx]
    reexport_from = as_of - 21 * _DAY
    first_export = as_of - 6 * _DAY - 6 * 60  # 18:00, six days before end_date
    recv = items["received"].to_numpy()
    in_window = recv >= reexport_from

    say(0.45, "Writing the registers")
    final = _snapshot(items, as_of)
    early = _snapshot(items, first_export)
    # Items of the last weeks went out in their month's file before they
    # settled; the re-export has them as they are now.
    exported = {c: np.where(in_window, early[c], final[c]) for c in final}
    # Helpline items: the register keeps only received_at; the events log has the steps.
    events_mask = items["events"].to_numpy()
    text = {c: items[c].to_numpy(object) for c in INQUIRY_COLUMNS if c in items}
    text["district"] = items["district_text"].to_numpy(object)
    text["channel"] = items["channel_text"].to_numpy(object)

    def register_table(state: dict[str, np.ndarray], mask: np.ndarray) -> pd.DataFrame:
        columns: dict[str, object] = {}
        for column in INQUIRY_COLUMNS:
            if column in _TIME_COLUMNS:
                values = state[column]
                if column != "received_at":
                    values = np.where(events_mask, np.nan, values)
                columns[column] = values[mask]
            elif column == "referred_to":
                referred = ~np.isnan(state["referred_at"])
                columns[column] = _objects(np.where(referred, text[column], "")[mask])
            else:
                source = state[column] if column in state else text[column]
                columns[column] = _objects(source[mask])
        return pd.DataFrame(columns)

    month_of = items["month"].to_numpy(object)
    files: dict[str, pd.DataFrame] = {}
    kinds: dict[str, str] = {}
    by_file: dict[str, list[str]] = {}
    for m in month_list:
        if m in xlsx_months:
            name = f"inquiry_register_{fiscal_year(date.fromisoformat(m + '-01'))}.xlsx"
        else:
            name = f"inquiry_register_{m}.csv"
        by_file.setdefault(name, []).append(m)
    for name, months_in in by_file.items():
        mask = np.isin(month_of, months_in) & (recv < first_export)
        if mask.any():
            files[name] = register_table(exported, mask)
            kinds[name] = name.rsplit(".", 1)[1]
    reexport_name = f"inquiry_register_reexport_{end_date.isoformat()}.csv"

    # Bad rows, in files and rows outside the re-export window.
    eligible = {}
    event_ids = set(items.loc[events_mask, "inquiry_id"])
    for name, frame in files.items():
        received_min = frame["received_at"].to_numpy(float)
        logged = np.array([i in event_ids for i in frame["inquiry_id"]], dtype=bool)
        ok = (received_min < reexport_from - _DAY) & ~logged
        ok &= frame["summary"].to_numpy() != FORMULA_PAYLOAD
        eligible[name] = np.flatnonzero(ok)
    xlsx_names = [n for n in files if kinds[n] == "xlsx"]
    csv_names = [n for n in files if kinds[n] == "csv"]
    origin_dt = datetime.combine(origin, datetime.min.time())
    planted = _plant(rng, files, eligible, next_seq, xlsx_names, csv_names, origin_dt)
    files[reexport_name] = register_table(final, in_window)
    kinds[reexport_name] = "csv"

    out: dict[str, bytes] = {}
    say(0.55, "Writing Excel workbooks")
    for name in xlsx_names:
        out[name] = _register_xlsx(files[name], origin_dt)
    say(0.75, "Writing CSV exports")
    for name in [*csv_names, reexport_name]:
        out[name] = _csv_bytes(_register_csv_columns(files[name], origin_dt))

    say(0.9, "Writing the response-events log")
    events_name = (
        f"response_events_{start.isoformat()}_{(end_date - timedelta(days=1)).isoformat()}.csv"
    )
    out[events_name] = _events_csv(rng, items[events_mask], as_of, origin_dt)

    bad_rows = []
    for name, inquiry_id, reason in planted:
        frame = files[name]
        positions = np.flatnonzero(frame["inquiry_id"].to_numpy() == inquiry_id)
        if "duplicate" in reason:
            already = sum(1 for b in bad_rows if b.inquiry_id == inquiry_id)
            position = positions[min(already, len(positions) - 1)]
        else:
            position = positions[0]
        bad_rows.append(PlantedRow(name, inquiry_id, reason, int(position) + 2))
    say(1.0, f"Demo exports ready: {len(items):,} items in {len(out)} files")
    return DemoData(
        files=out,
        bad_rows=bad_rows,
        items=items,
        origin=origin_dt,
        as_of=datetime.combine(end_date, datetime.min.time()),
        crisis_start=crisis_date,
        crisis_districts=CRISIS_DISTRICTS,
    )


def _register_csv_columns(frame: pd.DataFrame, origin: datetime) -> dict[str, pa.Array]:
    """The register's columns as CSV text; planted values in ``<column>__text`` win."""
    out: dict[str, pa.Array] = {}
    for column in INQUIRY_COLUMNS:
        if column in _TIME_COLUMNS:
            text = _time_text(frame[column].to_numpy(float), origin)
            override = frame.get(f"{column}__text")
            if override is not None:
                given = override.notna().to_numpy()
                planted = pa.array(override.where(given, "").to_numpy(object), pa.string())
                text = pc.if_else(pa.array(given), planted, text)
            out[column] = text
        else:
            out[column] = _text_array(frame[column].to_numpy(object))
    return out


def _register_xlsx(frame: pd.DataFrame, origin: datetime) -> bytes:
    rows: dict[str, object] = {}
    for column in INQUIRY_COLUMNS:
        if column in _TIME_COLUMNS:
            stamps = _to_datetime64(np.floor(frame[column].to_numpy(float)), origin)
            override = frame.get(f"{column}__text")
            if override is not None:
                for i in np.flatnonzero(override.notna().to_numpy()):
                    stamps[i] = np.datetime64(str(override.iloc[i]).replace(" ", "T"))
            rows[column] = _excel_serial(stamps)
        else:
            values = pd.Series(frame[column].to_numpy(object)).fillna("")
            mapping = _XLSX_CASE.get(column)
            if mapping:
                values = values.map(lambda v, m=mapping: m.get(v, v))
            rows[column] = values.to_numpy(object)
    return _xlsx_bytes(INQUIRY_COLUMNS, rows, _TIME_COLUMNS, widths={"summary": 40})


def _events_csv(rng: np.random.Generator, items: pd.DataFrame, as_of: float, origin: datetime):
    """The helpline system's log: one row per step, seconds included."""
    ids = items["inquiry_id"].to_numpy()
    n = len(items)
    agent = np.array([f"Agent {k:02d}" for k in rng.integers(1, 15, size=n)], dtype=object)
    closer = np.array([f"Agent {k:02d}" for k in rng.integers(1, 15, size=n)], dtype=object)
    ivr = np.where(items["channel"].to_numpy() == "Toll-free 0800", "IVR 0800", "IVR 1715")
    office = items["referred_to"].to_numpy(object)
    steps = [
        ("received", items["received"], ivr),
        ("first_response", items["first_response"], agent),
        ("referred", items["referred_at"], agent),
        ("field_ack", items["field_ack"], office),
        ("field_report", items["field_report"], office),
        ("resolved", items["resolved_first"], closer),
        ("reopened", items["reopened"], np.full(n, "Caller", dtype=object)),
        ("resolved", items["resolved_again"], closer),
    ]
    # A follow-up call logged as a second reply (the ETL keeps the earliest).
    follow = items["first_response"].to_numpy() + _lognormal(rng, 240.0, 1.0, n)
    follow = np.where(rng.random(n) < 0.03, follow, np.nan)
    steps.append(("first_response", pd.Series(follow), agent))
    frames = []
    order = {name: k for k, name in enumerate(vocab.EVENTS)}
    for event, when, actor in steps:
        t = np.asarray(when, float)
        keep = ~np.isnan(t) & (t < as_of)
        frames.append(
            pd.DataFrame(
                {
                    "inquiry_id": ids[keep],
                    "event": event,
                    "t": t[keep],
                    "actor": np.asarray(actor, dtype=object)[keep],
                    "rank": order[event],
                }
            )
        )
    log = pd.concat(frames, ignore_index=True)
    log = log.sort_values(["t", "inquiry_id", "rank"], kind="stable")
    columns = {
        "inquiry_id": log["inquiry_id"].to_numpy(object),
        "event": log["event"].to_numpy(object),
        "at": _time_text(log["t"].to_numpy(float), origin, seconds=True),
        "actor": log["actor"].to_numpy(object),
    }
    return _csv_bytes(columns, bom=False, crlf=False)


def write_demo_files(
    out_dir: Path,
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    daily_volume: float = 160.0,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the demo exports into ``out_dir`` and return their paths.

    ``end_date`` (default: today in Asia/Karachi) is the day of the export:
    items arrive over the ``months`` months before it and every timestamp is
    before 00:00 on ``end_date``. Demo files of an earlier run in ``out_dir``
    (``inquiry_register_*``, ``response_events_*``) are removed first so that
    a stale re-export is never loaded beside the new one.
    """
    data = generate_demo(
        end_date=end_date, months=months, seed=seed, daily_volume=daily_volume, progress=progress
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for pattern in ("inquiry_register_*.csv", "inquiry_register_*.xlsx", "response_events_*.csv"):
        for stale in out_dir.glob(pattern):
            if stale.name not in data.files:
                stale.unlink()
    paths = []
    for name, content in data.files.items():
        path = out_dir / name
        path.write_bytes(content)
        paths.append(path)
    return paths


def planted_bad_rows(
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    daily_volume: float = 160.0,
) -> list[PlantedRow]:
    """The bad rows a run with these arguments plants (regenerates in memory)."""
    return generate_demo(
        end_date=end_date, months=months, seed=seed, daily_volume=daily_volume
    ).bad_rows


# ---------------------------------------------------------------------------
# Blank templates


def template_files() -> dict[str, bytes]:
    """The blank register templates of ``data/templates`` (name -> content)."""
    out: dict[str, bytes] = {}
    for stem, columns, descriptions in (
        ("inquiry_register", INQUIRY_COLUMNS, INQUIRY_DESCRIPTIONS),
        ("response_events", EVENT_COLUMNS, EVENT_DESCRIPTIONS),
    ):
        empty = {c: pa.array([], pa.string()) for c in columns}
        out[f"{stem}.csv"] = _csv_bytes(empty)
        table = [("column", "description"), *((c, descriptions[c]) for c in columns)]
        datetimes = [c for c in columns if c.endswith("_at") or c == "at"]
        out[f"{stem}.xlsx"] = _xlsx_bytes(
            columns,
            {},
            datetimes,
            extra_sheets=[("Columns", table)],
            widths={"summary": 40},
        )
    return out


def write_templates(directory: Path) -> list[Path]:
    """(Re)write the blank templates into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in template_files().items():
        (directory / name).write_bytes(content)
        paths.append(directory / name)
    return paths


if __name__ == "__main__":  # pragma: no cover - convenience for a developer
    import sys
    import time

    from core.config import demo_dir

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else demo_dir()
    began = time.perf_counter()
    written = write_demo_files(target, progress=lambda f, m: print(f"[{f:4.0%}] {m}"))
    for path in written:
        print(f"{path.stat().st_size:>12,}  {path}")
    print(f"{time.perf_counter() - began:.1f} s")
