"""BENCHMARKS.md: each benchmark rewrites only its own marked section, so reruns refresh it."""

from __future__ import annotations

import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
HEADER = ("# Benchmarks\n\nWritten by `make bench`. The parts between `<!-- bench:... -->` "
          "markers are rewritten by their benchmark on every run; edit only outside them.\n")


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"


def write_section(key: str, text: str, path: Path = BENCHMARKS) -> None:
    """Put `text` between the markers of `key`, or append a new marked section."""
    start, end = _markers(key)
    block = f"{start}\n{text.strip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: block, current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(updated, encoding="utf-8")
