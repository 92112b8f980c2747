"""The media cell's registers besides the inquiry register: columns and vocabularies.

Five registers (``../shared/spec/export-formats.md``, "The cell's own
registers") plus the communication plan that M7 is measured against:

* the **media monitoring log** (one row per monitored mention of KP Police),
* **media queries** from journalists,
* **incidents** (crisis communication),
* **outputs**: press releases, posts and videos published, and the
  **output plan** (how many of each kind a week the plan calls for),
* **outreach events** (community engagement).

The ETL (``etl/sources/registers_media``), the blank templates, the quick-add
form and the metrics all read the columns and vocabularies from here, so a
value the form offers is a value the loader accepts. Nothing here imports
anything heavier than the standard library.
"""

from __future__ import annotations

from core.vocab import LANGUAGES, fold, lookup_table

# --- vocabularies -------------------------------------------------------------

OUTLET_TYPES: tuple[str, ...] = ("tv", "print", "online", "radio", "social")
OUTLET_TYPE_ALIASES: dict[str, str] = {
    "television": "tv",
    "tv channel": "tv",
    "news channel": "tv",
    "newspaper": "print",
    "paper": "print",
    "press": "print",
    "magazine": "print",
    "web": "online",
    "website": "online",
    "news website": "online",
    "digital": "online",
    "portal": "online",
    "fm": "radio",
    "fm radio": "radio",
    "social media": "social",
    "facebook": "social",
    "twitter": "social",
    "x": "social",
    "youtube": "social",
    "tiktok": "social",
    "instagram": "social",
    "whatsapp": "social",
}
OUTLET_TYPE_LABELS: dict[str, str] = {
    "tv": "TV",
    "print": "Print",
    "online": "Online",
    "radio": "Radio",
    "social": "Social media",
}

TONES: tuple[str, ...] = ("positive", "neutral", "negative")
TONE_ALIASES: dict[str, str] = {
    "pos": "positive",
    "favourable": "positive",
    "favorable": "positive",
    "supportive": "positive",
    "neu": "neutral",
    "balanced": "neutral",
    "factual": "neutral",
    "neg": "negative",
    "unfavourable": "negative",
    "unfavorable": "negative",
    "critical": "negative",
}

YES_NO_ALIASES: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "quoted": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "not quoted": False,
}

OUTPUT_TYPES: tuple[str, ...] = (
    "press release",
    "post",
    "video",
    "press conference",
    "interview",
    "other",
)
OUTPUT_TYPE_ALIASES: dict[str, str] = {
    "pr": "press release",
    "press note": "press release",
    "handout": "press release",
    "social post": "post",
    "social media post": "post",
    "tweet": "post",
    "reel": "video",
    "video post": "video",
    "presser": "press conference",
    "media briefing": "press conference",
    "briefing": "press conference",
    "talk show": "interview",
}

EVENT_TYPES: tuple[str, ...] = (
    "open court",
    "dispute resolution council awareness",
    "school visit",
    "women's consultation",
    "transgender consultation",
    "other",
)
EVENT_TYPE_ALIASES: dict[str, str] = {
    "khuli kacheri": "open court",
    "khuli katchery": "open court",
    "open kacheri": "open court",
    "drc awareness": "dispute resolution council awareness",
    "drc": "dispute resolution council awareness",
    "dispute resolution council": "dispute resolution council awareness",
    "school": "school visit",
    "school awareness": "school visit",
    "womens consultation": "women's consultation",
    "women consultation": "women's consultation",
    "women's jirga": "women's consultation",
    "transgender": "transgender consultation",
    "khwaja sira consultation": "transgender consultation",
    "khawaja sira consultation": "transgender consultation",
}

GENDER_COLUMNS: dict[str, str] = {
    "female": "participants_female",
    "male": "participants_male",
    "transgender": "participants_transgender",
}

MEDIA_LANGUAGES: tuple[str, ...] = LANGUAGES


def lookup(canonical: tuple[str, ...], aliases: dict[str, str]) -> dict[str, str]:
    """Folded spelling -> canonical value (``core.vocab.lookup_table``)."""
    return lookup_table(canonical, aliases)


def yes_no(value: object) -> bool | None:
    """``yes``/``no`` (and their spellings) as a bool; None when unrecognised."""
    return YES_NO_ALIASES.get(fold(value))


# --- registers: header -> one-line description, in template order -----------
# A register's canonical columns are these headers, except where ``HEADER_OF``
# names the header the template shows (incidents' ``type``, outreach's ``date``).

LOGGED = {
    "logged_by": "Who typed the entry (the dashboard's quick-add form fills it in). "
    "Stays in the raw layer.",
    "logged_at": "When the entry was typed: YYYY-MM-DD HH:MM, Pakistan time (PKT).",
}

MENTION_COLUMNS: dict[str, str] = {
    "mention_id": "Unique id of the mention, kept as text, e.g. MM-2503-0001; never reuse one.",
    "published_at": "When the story was published or aired: YYYY-MM-DD HH:MM, Pakistan time "
    "(PKT). Required.",
    "outlet": "Name of the newspaper, channel, website, station or account, e.g. Dawn, "
    "Geo News, Mashriq. Required.",
    "outlet_type": "tv, print, online, radio or social. Required.",
    "language": "Language of the story: Urdu, Pashto, English, Hindko, Saraiki, Chitrali or Other.",
    "headline": "Headline or first line of the story, as published.",
    "url": "Link to the story, when it is online.",
    "tone": "Tone towards KP Police: positive, neutral or negative; blank when not coded yet.",
    "topic": "What the story is about, in a few words, e.g. Kurram clashes, traffic, recruitment.",
    "district": "District the story is about (one of the 36); blank when it names none. "
    "Write Upper/Lower for Chitral, Dir, Kohistan and South Waziristan.",
    "quotes_official_line": "yes when the story quotes the police's official line "
    "(spokesperson, press release, statement), no when it does not; blank when not coded.",
    "incident_id": "Id of the incident in the incidents register when the story is about "
    "one (INC-...); blank otherwise.",
    **LOGGED,
}

QUERY_COLUMNS: dict[str, str] = {
    "query_id": "Unique id of the journalist's query, kept as text, e.g. MQ-2503-0001.",
    "received_at": "When the query reached the cell: YYYY-MM-DD HH:MM PKT. Required.",
    "outlet": "The journalist's outlet, e.g. Dawn, AAJ News. Required.",
    "journalist": "Name of the journalist. Personal data: stays in the raw layer.",
    "journalist_phone": "The journalist's phone number, when given. Personal data: stays in "
    "the raw layer.",
    "topic": "What the query is about, in a few words.",
    "deadline_at": "The journalist's deadline, when they gave one: YYYY-MM-DD HH:MM PKT.",
    "answered_at": "When the cell answered: YYYY-MM-DD HH:MM PKT; blank while unanswered.",
    **LOGGED,
}

INCIDENT_COLUMNS: dict[str, str] = {
    "incident_id": "Unique id of the incident, kept as text, e.g. INC-2503-01.",
    "incident_type": "What happened, in a few words, e.g. terrorist attack, protest, "
    "custodial death, viral video. Required.",
    "district": "District where it happened (one of the 36). Required.",
    "occurred_at": "When it happened: YYYY-MM-DD HH:MM PKT. Required.",
    "verified_at": "When the police verified it; the golden hour runs from here.",
    "first_statement_at": "When the first official public statement went out.",
    "misinformation_detected_at": "When a false claim about it was first detected.",
    "rebuttal_at": "When the official clarification of the false claim went out "
    "(target: within two hours of detection).",
    **LOGGED,
}

OUTPUT_COLUMNS: dict[str, str] = {
    "output_id": "Unique id of the output, kept as text, e.g. PR-2503-014.",
    "published_at": "When it was published or held: YYYY-MM-DD HH:MM PKT. Required.",
    "output_type": "press release, post, video, press conference, interview or other. Required.",
    "channel": "Where it went out, e.g. website, Facebook, X, WhatsApp groups, TV.",
    "title": "Title or first line, as published.",
    "url": "Link, when it is online.",
    "incident_id": "Id of the incident it is about, when it is a crisis statement or "
    "rebuttal (INC-...).",
}

PLAN_COLUMNS: dict[str, str] = {
    "week_start": "Any date of the planned week (weeks run Monday to Sunday): YYYY-MM-DD. "
    "Required.",
    "output_type": "press release, post, video, press conference, interview or other. Required.",
    "planned": "How many outputs of this type the communication plan calls for that week "
    "(a whole number, 0 or more). Required.",
    "notes": "Anything about the plan for that week (campaign, occasion).",
}

OUTREACH_COLUMNS: dict[str, str] = {
    "event_id": "Unique id of the event, kept as text, e.g. OE-2503-007.",
    "event_date": "Day the event was held: YYYY-MM-DD. Required.",
    "district": "District where it was held (one of the 36). Required.",
    "event_type": "open court, dispute resolution council awareness, school visit, "
    "women's consultation, transgender consultation or other. Required.",
    "participants_female": "Women and girls who took part (a whole number); blank when not "
    "counted.",
    "participants_male": "Men and boys who took part; blank when not counted.",
    "participants_transgender": "Transgender participants; blank when not counted.",
}

# The header a template shows for a canonical column, where they differ.
HEADER_OF: dict[str, str] = {"incident_type": "type", "event_date": "date"}


def header_of(column: str) -> str:
    return HEADER_OF.get(column, column)


# Register name -> (file stem, title, columns with descriptions).
REGISTERS: dict[str, tuple[str, str, dict[str, str]]] = {
    "mentions": ("media_monitoring_log", "Media monitoring log: one row per mention", MENTION_COLUMNS),
    "queries": ("media_queries", "Media queries: one row per journalist's query", QUERY_COLUMNS),
    "incidents": ("incidents", "Incidents (crisis communication): one row per incident", INCIDENT_COLUMNS),
    "outputs": ("outputs", "Press releases and other outputs: one row per output", OUTPUT_COLUMNS),
    "plan": ("output_plan", "Output plan: planned outputs per week and type", PLAN_COLUMNS),
    "outreach": ("outreach_events", "Community outreach events: one row per event", OUTREACH_COLUMNS),
}  # fmt: skip
