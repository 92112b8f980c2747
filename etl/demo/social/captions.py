"""What the cell posts about and how it words it: campaigns, districts, captions, hashtags.

Captions are Urdu, Pashto or English with the cell's campaign hashtags;
they name districts and offices, never a person, and carry no personal
data. Crisis-week posts are about the crisis districts.
"""

from __future__ import annotations

import numpy as np

from etl.demo.social.ids import random_text

DISTRICTS = (
    "Peshawar", "Mardan", "Swat", "Abbottabad", "Kohat", "Bannu", "Dera Ismail Khan",
    "Mansehra", "Charsadda", "Nowshera", "Swabi", "Malakand", "Lower Dir", "Haripur",
    "Karak", "Lakki Marwat", "Buner", "Khyber", "Bajaur", "Lower Chitral",
)  # fmt: skip
# District names as Urdu and Pashto captions write them.
DISTRICTS_URDU: dict[str, str] = {
    "Peshawar": "پشاور", "Mardan": "مردان", "Swat": "سوات", "Abbottabad": "ایبٹ آباد",
    "Kohat": "کوہاٹ", "Bannu": "بنوں", "Dera Ismail Khan": "ڈیرہ اسماعیل خان",
    "Mansehra": "مانسہرہ", "Charsadda": "چارسدہ", "Nowshera": "نوشہرہ", "Swabi": "صوابی",
    "Malakand": "ملاکنڈ", "Lower Dir": "لوئر دیر", "Haripur": "ہری پور", "Karak": "کرک",
    "Lakki Marwat": "لکی مروت", "Buner": "بونیر", "Khyber": "خیبر", "Bajaur": "باجوڑ",
    "Lower Chitral": "لوئر چترال", "Kurram": "کرم", "Orakzai": "اورکزئی", "Hangu": "ہنگو",
}  # fmt: skip
CAMPAIGNS = ("service", "women", "trans", "drugs", "traffic", "achievement", "open_court")
CAMPAIGN_SHARE = (0.24, 0.13, 0.04, 0.13, 0.15, 0.22, 0.09)
CRISIS_POST_SHARE = 0.7  # share of crisis-week posts about the crisis
LANGUAGES = ("ur", "en", "ps")
LANGUAGE_SHARE = (0.45, 0.30, 0.25)
HASHTAGS: dict[str, str] = {
    "service": "#KPPolice #YourPoliceYourService #PoliceKhidmatMarkaz",
    "women": "#KPPolice #WomenSafety #YourPoliceYourService",
    "trans": "#KPPolice #TransRights #YourPoliceYourService",
    "drugs": "#KPPolice #SayNoToDrugs #DrugFreeKP",
    "traffic": "#KPPolice #TrafficAwareness #RoadSafety",
    "achievement": "#KPPolice #YourPoliceYourService",
    "open_court": "#KPPolice #OpenKatchery #YourPoliceYourService",
    "crisis": "#KPPolice #{tag} #VerifyBeforeYouShare #KPPoliceUpdates",
}
CAPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "service": {
        "en": (
            "Police Khidmat Markaz {d} is open for character certificates, FIR copies and "
            "driving licence verification.",
            'Under "Your Police, Your Service", {d} Police answered every emergency call '
            "within 10 minutes this week.",
        ),
        "ur": (
            "پولیس خدمت مرکز {d} میں کریکٹر سرٹیفکیٹ اور ایف آئی آر کی کاپی اب ایک ہی دن میں۔",
            "شکایت کے لیے 1715 پر کال کریں، {d} پولیس آپ کی خدمت میں حاضر ہے۔",
        ),
        "ps": (
            "د {d} پولیس خدمت مرکز کې د کرکټر سرټیفیکیټ او د ایف آی آر کاپي په یوه ورځ کې.",
            "د شکایت لپاره 1715 ته زنګ ووهئ، د {d} پولیس ستاسو خدمت ته حاضر دي.",
        ),
    },
    "women": {
        "en": (
            "Women's help desks are open at every police station in {d}. Female officers "
            "hear your complaint in confidence.",
        ),
        "ur": (
            "{d} کے ہر تھانے میں خواتین ڈیسک قائم ہے، خواتین افسران آپ کی شکایت رازداری سے سنیں گی۔",
        ),
        "ps": ("د {d} په هر تھانه کې د ښځو ډیسک شته، ښځینه افسرانې ستاسو شکایت په رازداري اوري.",),
    },
    "trans": {
        "en": (
            "The transgender protection desk in {d} registers complaints without delay. "
            "Every citizen has equal rights.",
        ),
        "ur": ("{d} میں خواجہ سرا افراد کے تحفظ کا ڈیسک فعال ہے، ہر شہری کے حقوق برابر ہیں۔",),
        "ps": ("په {d} کې د خواجه سرا خلکو د ساتنې ډیسک فعال دی، د هر وګړي حقونه برابر دي.",),
    },
    "drugs": {
        "en": (
            "Operation against ice and drug peddlers in {d}: suspects arrested, narcotics "
            "recovered. Say no to drugs.",
        ),
        "ur": ("{d} میں آئس اور منشیات فروشوں کے خلاف کریک ڈاؤن، ملزمان گرفتار اور منشیات برآمد۔",),
        "ps": ("په {d} کې د آیس او نشه يي توکو پلورونکو پر ضد عملیات، ملزمان ونیول شول.",),
    },
    "traffic": {
        "en": (
            "Wear a helmet, keep to your lane. Traffic police {d} road safety week starts today.",
            "One-wheeling is a crime and a danger to your life. Traffic police {d} appeal to "
            "parents.",
        ),
        "ur": ("ہیلمٹ پہنیں، لین کی پابندی کریں۔ ٹریفک پولیس {d} کا روڈ سیفٹی ہفتہ آج سے شروع۔",),
        "ps": (
            "هیلمټ واغوندئ او د سړک قوانین مراعات کړئ. د {d} ټرافیک پولیس د سړک د خوندیتوب اونۍ.",
        ),
    },
    "achievement": {
        "en": (
            "{d} Police recovered a stolen vehicle within 24 hours and handed it back to its "
            "owner.",
        ),
        "ur": ("{d} پولیس نے چوری شدہ گاڑی 24 گھنٹوں میں برآمد کرکے مالک کے حوالے کر دی۔",),
        "ps": ("د {d} پولیسو غلا شوی موټر په 24 ساعتونو کې بېرته ترلاسه کړ.",),
    },
    "open_court": {
        "en": ("DPO {d} held an open court today and heard complaints from the public.",),
        "ur": ("ڈی پی او {d} نے آج کھلی کچہری منعقد کی اور عوام کے مسائل موقع پر سنے۔",),
        "ps": ("ډي پي او {d} نن پرانیستې کچهرۍ وکړه او د خلکو شکایتونه یې واورېدل.",),
    },
    "crisis": {
        "en": (
            "Situation in {d} is under control. Police and FC are on patrol; roads are open. "
            "Do not share unverified news.",
            "Statement: reports circulating about {d} are false. Rely only on official KP "
            "Police accounts.",
        ),
        "ur": (
            "{d} میں صورتحال قابو میں ہے، پولیس اور ایف سی گشت پر ہیں۔ غیر مصدقہ خبریں شیئر نہ کریں۔",
        ),
        "ps": (
            "په {d} کې حالات کنټرول کې دي، پولیس او ایف سي ګزمه کوي. ناتایید شوي خبرونه مه خپروئ.",
        ),
    },
}
SECOND_LINE = {
    "en": "📞 Emergency: 15 | Complaints: 1715",
    "ur": "ایمرجنسی کی صورت میں 15 پر کال کریں۔",
    "ps": "په بېړني حالت کې 15 ته زنګ ووهئ.",
}
YOUTUBE_TITLES: dict[str, str] = {
    "service": "Police Khidmat Markaz {d}: services in one place",
    "women": "Women's help desk, {d} Police",
    "trans": "Transgender protection desk, {d}",
    "drugs": "Crackdown on ice peddlers in {d}",
    "traffic": "Road safety week, Traffic Police {d}",
    "achievement": "{d} Police: stolen vehicle recovered in 24 hours",
    "open_court": "Open court by DPO {d}",
    "crisis": "{d}: situation under control, official statement",
}


def captions(rng: np.random.Generator, posts: dict[str, np.ndarray], style: str) -> list[str]:
    """Post text for ``style``: ``meta`` (multi-line), ``x`` (one line, a t.co link),
    ``tiktok`` (one line) or ``youtube`` (a title)."""
    n = len(posts["t"])
    pick = rng.integers(0, 1 << 30, size=n)
    links = random_text(rng, n, 10)
    out = []
    for i in range(n):
        campaign, language, district = (
            posts["campaign"][i], posts["language"][i], posts["district"][i]
        )  # fmt: skip
        tags = HASHTAGS[campaign].format(tag=district.replace(" ", ""))
        if style == "youtube":
            title = YOUTUBE_TITLES[campaign].format(d=district)
            out.append(
                f"{title} #shorts" if posts["type"][i] == "short" else f"{title} | KP Police"
            )
            continue
        options = CAPTIONS[campaign][language]
        named = district if language == "en" else DISTRICTS_URDU[district]
        text = options[pick[i] % len(options)].format(d=named)
        if style == "meta":
            link = f"\nhttps://kppolice.gov.pk/news/{pick[i] % 90000 + 10000}"
            more = link if posts["type"][i] == "Links" else ""
            out.append(f"{text}\n{SECOND_LINE[language]}{more}\n\n{tags}")
        elif style == "x":
            out.append(f"{text} {tags} https://t.co/{links[i]}"[:280])
        else:
            out.append(f"{text} {tags} #foryou")
    return out
