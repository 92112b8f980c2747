"""The monthly (or quarterly) report for UNDP and the EU, generated and safe to send.

``python -m metrics.report --month 2026-10 --out reports/`` writes a PDF and
an XLSX; the Monthly report page shows the same on screen. Modules:

* ``period``: the month or fiscal quarter, and the periods it compares with;
* ``data``: every figure, through the dashboard's own metric functions, on
  a read-only connection, after disclosure control (``metrics.disclosure``);
  ``quality`` (sources, coverage, quarantine), ``summary`` (the executive
  summary's sentences), ``annex`` (methodology from the catalogue) help it;
* ``model``: what a report holds (publishable numbers only) and how a
  figure reads;
* ``charts``: static images of Plotly figures (kaleido, one browser per report);
* ``pdf`` and ``xlsx``: the two files; ``build``: both, for the command line,
  the page and the benchmark.

Nothing here imports streamlit.
"""
