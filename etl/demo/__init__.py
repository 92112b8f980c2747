"""Deterministic demo exports: the registers and social exports a provincial police media cell hands in.

``python -m etl demo`` (``build.build_demo_warehouse``) writes them all and
loads them through the real ETL, planted bad rows included. Everything
follows from one seed: the same seed, ``end_date`` and ``months`` give
byte-identical files. Personal data are fake on purpose (see ``people``).

One job per module:

* ``calendar``: the seed, time zone, staffed hours, working days
  (``BusinessCalendar``), the period (``Timeline``), fiscal years and the
  **crisis week** every demo export shares (``crisis_week``,
  ``CRISIS_DISTRICTS``). A new demo register takes its dates from here.
* ``writers`` / ``workbooks``: CSV as Excel and the vendors write it,
  timestamps as staff type them, Excel workbooks and zips, byte-identical.
* ``columns``: the register's and events log's columns and descriptions.
* ``vocabulary``, ``summaries``, ``reference``: what items are made of
  (mixes by channel and district, names, summary templates, districts).
* ``sampling``: the random-draw helpers.
* ``items`` -> ``lifecycle`` -> ``people``: the truth, one row per item.
* ``registers`` (which rows in which file, and their bytes), ``events``
  (the helpline's response-events log), ``planted`` (the bad rows).
* ``generate``: the register demo from start to end; ``templates``: the
  blank templates of ``data/templates``.
* ``social``: the social accounts' exports in the vendors' layouts.
* ``build``: the demo warehouse.
"""

from etl.demo.build import build_demo_warehouse, social_contexts
from etl.demo.calendar import (
    CRISIS_DISTRICTS,
    DEMO_SEED,
    TIMEZONE,
    crisis_week,
    crisis_week_start,
    default_end_date,
    fiscal_year,
)
from etl.demo.columns import (
    EVENT_COLUMNS,
    EVENT_DESCRIPTIONS,
    INQUIRY_COLUMNS,
    INQUIRY_DESCRIPTIONS,
)
from etl.demo.generate import DemoData, generate_demo, planted_bad_rows, write_demo_files
from etl.demo.planted import DEMO_BAD_ROWS, FORMULA_PAYLOAD, PlantedRow
from etl.demo.social import generate_social_demo, write_social_demo_files
from etl.demo.templates import template_files, write_templates
from etl.demo.vocabulary import EVENT_CHANNELS

__all__ = [
    "CRISIS_DISTRICTS",
    "DEMO_BAD_ROWS",
    "DEMO_SEED",
    "EVENT_CHANNELS",
    "EVENT_COLUMNS",
    "EVENT_DESCRIPTIONS",
    "FORMULA_PAYLOAD",
    "INQUIRY_COLUMNS",
    "INQUIRY_DESCRIPTIONS",
    "TIMEZONE",
    "DemoData",
    "PlantedRow",
    "build_demo_warehouse",
    "crisis_week",
    "crisis_week_start",
    "default_end_date",
    "fiscal_year",
    "generate_demo",
    "generate_social_demo",
    "planted_bad_rows",
    "social_contexts",
    "template_files",
    "write_demo_files",
    "write_social_demo_files",
    "write_templates",
]
