"""Streamlit helpers shared by the dashboard's pages.

Everything that needs ``streamlit`` and is not a page lives here: the
sidebar filters (``filters``), cached read-only warehouse access (``data``),
the first-run demo build (``bootstrap``), KPI cards (``cards``), chart
builders (``charts``) and number and time formatting (``format``).
Business rules and SQL stay in ``metrics/``.
"""
