"""The KPI catalogue: what every KPI of the strategy means, defined once.

Definitions only: name, unit, direction, cohort and disaggregations of every
KPI of ``../shared/spec/kpi-catalogue.md`` (R1-R14, M1-M7, S1-S6, I1-I4, C1),
and the definition in words of those computed elsewhere or not yet. This
module imports no metric function and no metric function imports it: the
definition of R1-R14 is the first paragraph of the docstring of the function
that computes it, and ``metrics.kpis`` joins the two (with the targets in
effect, from ``metrics.targets``) into the ``Kpi`` every page, report and test
reads.
"""

from __future__ import annotations

from dataclasses import dataclass

DIRECTIONS: tuple[str, ...] = ("higher", "lower", "monitor", "plan", "→ 1.0")

STANDARD_DISAGGREGATIONS: tuple[str, ...] = (
    "month",
    "fiscal_quarter",
    "region",
    "district",
    "merged_vs_settled",
    "channel",
    "category",
    "requester_gender",
    "language",
)
_PERIODS = ("month", "fiscal_quarter")
_MEDIA = (*_PERIODS, "outlet_type")
_SOCIAL = (*_PERIODS, "platform")


@dataclass(frozen=True)
class Definition:
    """What one KPI means. The numbers it aims at are in ``metrics.targets``."""

    name: str
    unit: str
    direction: str  # one of DIRECTIONS
    cohort: str  # which items count: received, completed, due, ...
    # The definition in plain words; empty where it is the first paragraph
    # of the docstring of the function that computes the KPI (R1-R14), which
    # ``metrics.kpis`` reads, so the words and the code cannot drift apart.
    definition: str = ""
    disaggregations: tuple[str, ...] = STANDARD_DISAGGREGATIONS


_RESPONSIVENESS: dict[str, Definition] = {
    "R1": Definition("Items received", "count", "monitor", "received"),
    "R2": Definition("Items per 100,000 people", "per 100,000", "higher", "received"),
    "R3": Definition("Response rate", "%", "higher", "received"),
    "R4": Definition("First response time", "minutes", "lower", "completed"),
    "R5": Definition(
        "First-response SLA attainment",
        "%",
        "higher",
        "completed + open past target at period end",
    ),
    "R6": Definition("Referral time", "minutes", "lower", "completed"),
    "R7": Definition("District acknowledgement within 24 h", "%", "higher", "due"),
    "R8": Definition("Field report within 3 days", "%", "higher", "due"),
    "R9": Definition("Resolution time", "hours", "lower", "completed"),
    "R10": Definition(
        "Resolution SLA attainment",
        "%",
        "higher",
        "completed + open past target at period end",
    ),
    "R11": Definition("Overdue backlog", "count", "lower", "open at period end"),
    "R12": Definition("Reopen rate", "%", "lower", "completed"),
    "R13": Definition("RTI compliance", "%", "higher", "due"),
    "R14": Definition("Citizen satisfaction", "%", "higher", "completed"),
}

_OTHERS: dict[str, Definition] = {
    "M1": Definition(
        "Media query response",
        "%",
        "higher",
        "completed",
        "Journalist query answered − received; P50, and % answered the same business "
        "day or before the journalist's deadline.",
        _MEDIA,
    ),
    "M2": Definition(
        "Time to first public statement",
        "minutes",
        "lower",
        "per incident",
        "First official statement − incident verified (or first media report), per incident.",
        _PERIODS,
    ),
    "M3": Definition(
        "Misinformation rebuttal time",
        "minutes",
        "lower",
        "per false claim",
        "Official clarification − false claim detected.",
        _PERIODS,
    ),
    "M4": Definition(
        "Media mentions",
        "count",
        "monitor",
        "published",
        "Monitored mentions of KP Police (TV, print, online, social, radio).",
        _MEDIA,
    ),
    "M5": Definition(
        "Net tone",
        "−100..100",
        "higher",
        "published",
        "(Positive − negative) ÷ coded mentions × 100.",
        _MEDIA,
    ),
    "M6": Definition(
        "Official-line share",
        "%",
        "higher",
        "published",
        "Coverage quoting the police's official line ÷ police-related coverage.",
        _MEDIA,
    ),
    "M7": Definition(
        "Press releases and outputs",
        "count",
        "plan",
        "published",
        "Press releases, posts and videos published.",
        _MEDIA,
    ),
    "S1": Definition(
        "Reach / impressions",
        "count",
        "higher",
        "published",
        "Reach and impressions per platform and in total; unique reach is never added "
        "across platforms or days without saying it is a sum of reaches.",
        _SOCIAL,
    ),
    "S2": Definition(
        "Engagement rate",
        "%",
        "higher",
        "published",
        "Engagements ÷ impressions (÷ reach where a platform gives no impressions), "
        "per post; P50 per platform.",
        _SOCIAL,
    ),
    "S3": Definition(
        "Follower growth",
        "%",
        "higher",
        "period",
        "Net new followers ÷ followers at period start.",
        _SOCIAL,
    ),
    "S4": Definition(
        "Posting cadence",
        "count",
        "plan",
        "published",
        "Posts per day per platform; hour-of-week heat map of engagement.",
        _SOCIAL,
    ),
    "S5": Definition(
        "Top content",
        "list",
        "monitor",
        "published",
        "Best posts by engagement rate, with a minimum impressions floor, ranked within "
        "each platform (platforms rate on different denominators, so their rates are "
        "never ranked against each other).",
        _SOCIAL,
    ),
    "S6": Definition(
        "Public response on social",
        "% / minutes",
        "monitor",
        "received",
        "Comments and messages needing a reply that got one, and how fast (R3 and R4 "
        "for social channels).",
        _SOCIAL,
    ),
    "I1": Definition(
        "Women's and transgender share of items",
        "%",
        "higher",
        "received",
        "Items from female (transgender) requesters ÷ items with known gender.",
        tuple(d for d in STANDARD_DISAGGREGATIONS if d != "requester_gender"),
    ),
    "I2": Definition(
        "Responsiveness parity",
        "ratio",
        "→ 1.0",
        "completed",
        "R4 P50 (or R10) for women ÷ the same for men; transgender ÷ men; merged ÷ "
        "settled districts.",
        (*_PERIODS, "region", "channel", "category"),
    ),
    "I3": Definition(
        "District coverage",
        "count",
        "higher",
        "due",
        "Districts (of 36) meeting the R7 target.",
        (*_PERIODS, "region", "merged_vs_settled"),
    ),
    "I4": Definition(
        "Outreach events and participants",
        "count",
        "higher",
        "held",
        "Community engagement events (open courts, dispute-resolution council awareness, "
        "women's and transgender consultations) and participants by gender.",
        (*_PERIODS, "region", "district", "merged_vs_settled", "participant_gender"),
    ),
    "C1": Definition(
        "Responsiveness score",
        "index, 1.0 = on target",
        "higher",
        "as its KPIs",
        "Mean over the selected KPIs of min(actual ÷ target, 1.25), using target ÷ "
        "actual where lower is better (the formula of Boston's CityScore).",
        _PERIODS + ("region", "district", "merged_vs_settled", "channel"),
    ),
}

DEFINITIONS: dict[str, Definition] = {**_RESPONSIVENESS, **_OTHERS}
KPI_IDS: tuple[str, ...] = tuple(DEFINITIONS)


def definition(kpi_id: str) -> Definition:
    """The catalogue's definition of one KPI; ``KeyError`` names an unknown id."""
    try:
        return DEFINITIONS[kpi_id]
    except KeyError:
        raise KeyError(f"no KPI {kpi_id!r} in the catalogue") from None
