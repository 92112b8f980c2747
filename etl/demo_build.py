"""Build the demo warehouse from the bundled, deterministic demo exports."""

from __future__ import annotations

from pathlib import Path

from etl.config import demo_dir, warehouse_path
from etl.load import LoadReport, Progress, load_paths


def build_demo_warehouse(
    warehouse: Path | None = None,
    *,
    progress: Progress | None = None,
    months: int = 20,
    out_dir: Path | None = None,
    **generator_options: object,
) -> LoadReport:
    """Write the demo exports (fixed seed) and load them, as a cell would.

    Runs the real ETL on files in the real export formats, planted bad rows
    included, so the demo exercises exactly what production does.
    """
    from etl.demo import write_demo_files

    progress = progress or (lambda fraction, message: None)
    out_dir = out_dir or demo_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    files = write_demo_files(
        out_dir,
        months=months,
        progress=lambda f, m: progress(0.3 * f, m),
        **generator_options,
    )
    return load_paths(
        files,
        warehouse=warehouse or warehouse_path(),
        progress=lambda f, m: progress(0.3 + 0.7 * f, m),
        loaded_by="demo",
    )
