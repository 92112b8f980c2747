"""The columns of the inquiry register and the response-events log, with what each holds.

The register's columns are the loader's own definition
(``etl.sources.inquiries.REGISTER_COLUMNS``); the descriptions fill the
"Columns" sheet of the blank templates in ``data/templates``.
"""

from __future__ import annotations

from etl.sources.inquiries import REGISTER_COLUMNS

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
# Register columns holding a timestamp (``YYYY-MM-DD HH:MM`` PKT).
TIME_COLUMNS: tuple[str, ...] = tuple(c for c in INQUIRY_COLUMNS if c.endswith("_at"))
