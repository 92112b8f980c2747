"""Metrics over the warehouse: KPI definitions, catalogue and the page's tables.

Pure functions of a DuckDB connection (or cursor) and explicit ``Filters``;
they aggregate in DuckDB and return a number-like result or a small
DataFrame. Nothing here imports streamlit. Modules:

* (``core.warehouse``: read-only connections to the live warehouse, snapshot id;
  the ground floor that metrics, ui and etl all import)
* ``filters``: the period and scope every metric takes, fiscal helpers;
* ``catalogue``: every KPI of the strategy, targets from
  ``data/config/kpi_targets.yaml``;
* ``responsiveness``: R1-R14, the KPI summary and the page's tables
  (``scope``, ``sla`` and ``breakdowns`` hold the shared SQL pieces).
"""
