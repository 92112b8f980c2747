"""Kept for old notes: ``python -m benchmarks --skip load small queries page`` (social)."""

from benchmarks.__main__ import main

if __name__ == "__main__":
    main(["--skip", "load", "small", "queries", "page"])
