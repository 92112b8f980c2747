"""What the demo register is made of: channel, category, gender and language mixes, names.

Shares are by channel (or district) as a provincial police media cell sees
them; the crisis-week mixes replace the normal ones for items about the
crisis. Names are common Pakistani first and family names, social-media
handles, and the number and address ranges that are never issued
(``03xx-00xxxxx``, ``xxxxx-0000xxx-x``, ``example.*``), so no fake person
is a real one.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Mixes

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
LANGUAGE_DEFAULT = (0.36, 0.55, 0.08, 0.0, 0.0, 0.0, 0.01)
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
# Volume in the crisis districts on each day of the crisis week (x normal).
CRISIS_PROFILE = (2.5, 5.5, 5.5, 4.5, 4.0, 3.0, 2.5)
WEEKDAY_VOLUME = (1.08, 1.04, 1.04, 1.04, 0.88, 0.95, 0.62)  # Mon..Sun (Friday: Jumu'ah)


# ---------------------------------------------------------------------------
# Names


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
