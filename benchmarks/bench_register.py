"""Kept for old notes: ``python -m benchmarks --skip page social`` (the register parts)."""

from benchmarks.__main__ import main

if __name__ == "__main__":
    main(["--skip", "page", "social"])
