"""Metrics over the warehouse: KPI definitions, catalogue and the page's tables.

Pure functions of a DuckDB connection (or cursor) and explicit ``Filters``;
they aggregate in DuckDB and return a number-like result or a small
DataFrame. Nothing here imports streamlit. Modules:

* (``core.warehouse``: read-only connections to the live warehouse, snapshot id;
  the ground floor that metrics, ui and etl all import)
* ``filters``: the period and scope every metric takes, fiscal helpers;
* ``catalogue``: what every KPI of the strategy means (definitions only);
* ``targets``: the targets in effect on a day, from ``data/config/targets.yaml``;
* ``kpis``: the catalogue joined to the functions and the targets (``Kpi``,
  statuses, the page's ``kpi_summary``);
* ``responsiveness``: R1-R14 and the page's tables
  (``scope``, ``sla`` and ``breakdowns`` hold the shared SQL pieces);
* the Data page's read model: ``loads`` (load history), ``quarantine``
  (rows kept aside, the masked worklist), ``freshness`` (days behind, stale
  sources), ``validation`` (checks in plain words, each load's report).
"""
