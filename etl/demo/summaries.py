"""One-line summaries of register items, in the requester's language and script.

Templates by category and script (``en`` English, ``ur`` Urdu, ``ps``
Pashto, ``ro`` Roman Urdu); ``{d}`` is the item's district. Items of the
crisis week have crisis templates; a few summaries are odd on purpose (a
leading ``@``, ``-``, ``+`` or a line break) for the CSV-safety checks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo.sampling import pick_rows

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
ODD_SUMMARIES = (
    "@DPO_Mardan plz help, no one is listening",
    "-- no details given --",
    "+92 caller, line dropped twice",
    "Caller said:\nthe same people came again at night",
)


def summaries(rng: np.random.Generator, items: pd.DataFrame) -> np.ndarray:
    """Short summaries in the requester's language (English, Urdu or Pashto
    script, Roman Urdu), about the district when one is known."""
    n = len(items)
    script = _scripts(rng, items["language"].to_numpy(object))
    district = items["district"].to_numpy(object)
    pick = rng.random(n)
    keys = pd.DataFrame(
        {
            "c": items["crisis"].to_numpy(bool),
            "k": items["category"].to_numpy(object),
            "s": script,
            "b": district == "",
        }
    )
    templates: list[str] = []
    chosen = np.empty(n, dtype=np.int64)
    groups = keys.groupby(["c", "k", "s", "b"], sort=True).indices
    for (is_crisis, cat, scr, no_district), rows in groups.items():
        texts = _templates(bool(is_crisis), str(cat), SCRIPTS[int(scr)], bool(no_district))
        options = np.arange(len(templates), len(templates) + len(texts))
        templates.extend(texts)
        chosen[rows] = options[(pick[rows] * len(options)).astype(int)]
    summary = _fill_in(templates, chosen, district)
    odd = np.flatnonzero(rng.random(n) < 0.002)
    summary[odd] = np.array(ODD_SUMMARIES, dtype=object)[np.arange(len(odd)) % len(ODD_SUMMARIES)]
    return summary


def _scripts(rng: np.random.Generator, language: np.ndarray) -> np.ndarray:
    """The script of each summary (index into ``SCRIPTS``), drawn by language."""
    codes = {k: i for i, k in enumerate(SCRIPT_MIX)}
    lang_code = pd.Series(language).map(codes).fillna(codes[""]).to_numpy(int)
    return pick_rows(rng, np.array(list(SCRIPT_MIX.values())), lang_code)


def _templates(crisis: bool, category: str, script: str, no_district: bool) -> list[str]:
    """The templates to choose from; without ``{d}`` when the item names no district."""
    texts = (CRISIS_SUMMARIES if crisis else SUMMARIES[category]).get(script) or SUMMARIES[
        category
    ]["en"]  # fmt: skip
    if no_district:
        texts = [t for t in texts if "{d}" not in t] or [
            t for t in SUMMARIES[category]["en"] if "{d}" not in t
        ]
    return list(texts)


def _fill_in(templates: list[str], chosen: np.ndarray, district: np.ndarray) -> np.ndarray:
    """The chosen templates with the district (``KP`` when blank) in place of ``{d}``."""
    blank = district == ""
    parts = [t.split("{d}", 1) if "{d}" in t else [t, None] for t in templates]
    before = np.array([p[0] for p in parts], dtype=object)[chosen]
    after = np.array([p[1] for p in parts], dtype=object)[chosen]
    has_district = np.array([p[1] is not None for p in parts])[chosen]
    return np.where(has_district, before + np.where(blank, "KP", district) + np.where(
        has_district, after, ""), before)  # fmt: skip
