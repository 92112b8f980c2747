"""Build the demo warehouse from the bundled, deterministic demo exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from core.config import demo_dir, warehouse_path
from etl.demo.calendar import default_end_date
from etl.demo.generate import write_demo_files
from etl.demo.media import write_media_files
from etl.demo.social.generate import SOCIAL_DIR, write_social_demo_files
from etl.demo.social.profiles import INSTAGRAM_USERNAME
from etl.load import LoadReport, Progress, load_paths, make_context
from etl.sources.base import LoadContext


def build_demo_warehouse(
    warehouse: Path | None = None,
    *,
    progress: Progress | None = None,
    months: int = 20,
    out_dir: Path | None = None,
    end_date: date | None = None,
    social: bool = True,
    media: bool = True,
    **generator_options: object,
) -> LoadReport:
    """Write the demo exports (fixed seed) and load them, as a cell would.

    Runs the real ETL on files in the real export formats — the register,
    the response-events log and, with ``social``, every platform's exports —
    planted bad rows and one Excel-damaged file included, so the demo
    exercises exactly what production does.
    """
    progress = progress or (lambda fraction, message: None)
    out_dir = out_dir or demo_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    end_date = end_date or default_end_date()
    files = write_demo_files(
        out_dir,
        months=months,
        end_date=end_date,
        progress=lambda f, m: progress(0.2 * f, m),
        **generator_options,
    )
    if media:  # the media cell's other registers (etl/demo/media.py)
        files = [*files, *write_media_files(out_dir, months=months, end_date=end_date)]
    context = make_context()
    context_for = None
    if social:
        files = [*files, *write_social_demo_files(out_dir, months=months, end_date=end_date)]
        context_for = social_contexts(out_dir / SOCIAL_DIR, context)
    progress(0.3, "loading the demo exports")
    return load_paths(
        files,
        warehouse=warehouse or warehouse_path(),
        progress=lambda f, m: progress(0.3 + 0.7 * f, m),
        loaded_by="demo",
        context=context,
        context_for=context_for,
    )


def social_contexts(social_dir: Path, context: LoadContext) -> Callable[[Path], LoadContext | None]:
    """What staff would type when loading the Meta Insights folders: the
    platform and account of files that do not name them."""

    def context_for(path: Path) -> LoadContext | None:
        try:
            parts = path.relative_to(social_dir).parts
        except ValueError:
            return None
        if "meta_insights" not in parts:
            return None
        if "instagram" in parts:
            return replace(context, platform="Instagram", account=INSTAGRAM_USERNAME)
        if "facebook" in parts:
            return replace(context, platform="Facebook")
        return None

    return context_for
