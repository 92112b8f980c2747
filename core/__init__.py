"""The ground floor: facts both the write path (``etl``) and the read path
(``metrics``, ``ui``, ``pages``) need, and nothing heavier.

* ``config``: where things live, the settings the Directorate edits;
* ``vocab``: the register's vocabularies (channels, statuses, categories);
* ``errors``: the exceptions a person sees, with what to do;
* ``csv_safety``: formula-safe CSV for every download;
* ``sql``: quoting of SQL identifiers and literals, in one place;
* ``warehouse``: short-lived read-only connections and the snapshot id;
* ``sources``: the sources by page group, the headers of the cell's own files;
* ``masking``: which columns hold personal data, and how values are masked.

Nothing here imports ``etl``, ``metrics``, ``ui``, Streamlit or Great
Expectations, so importing it is cheap on every page's path.
"""
