"""The duplicate and import benchmark, small: the production code on 300 customers and 200
rows finds the planted duplicates, imports every row and writes its section."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.crm_merge_import import main, make_customers


@pytest.mark.committed
def test_a_small_run_measures_both_and_writes_its_section(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\nNotes kept.\n")
    result = main(["--customers", "300", "--rows", "200", "--report", str(report)])
    assert result.planted and result.found_planted >= result.planted - 1
    assert result.counts["create"] + result.counts["update"] == 200
    assert result.counts["reject"] == 0
    text = report.read_text()
    assert "Notes kept." in text
    assert "Duplicate finder, 300 customers" in text
    assert "Import of 200 rows: dry run + apply" in text
    assert "load average" in text


def test_the_customers_are_the_same_for_the_same_seed() -> None:
    first, planted = make_customers(random.Random(3), 200)
    again, planted_again = make_customers(random.Random(3), 200)
    assert first == again and planted == planted_again
    assert len({row["number"] for row in first}) == len(first) == 200
