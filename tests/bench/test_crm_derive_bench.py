"""The derived-attributes benchmark, small: the same code on 60 customers writes its report."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crm_derive import main
from bench.crm_derive_data import definitions


@pytest.mark.committed
def test_a_small_run_measures_every_part_and_writes_its_section(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\nNotes kept.\n")
    result = main(["--customers", "60", "--interactions", "600", "--complaints", "60",
                   "--orders-each", "2", "--fields", "100", "--rounds", "3",
                   "--report", str(report)])
    text = report.read_text()
    assert "Notes kept." in text
    section = text.split(f"<!-- bench:crm-derive:{result['database']}:60:start -->")[1]
    for measure in ("Full recompute, 100 definitions", "Incremental: one new order",
                    "Segment count, 3 conditions", "load average", "Command: `"):
        assert measure in section, measure
    assert result["values"] > 0 and len(result["incremental_ms"]) == 3


def test_one_hundred_definitions_of_every_kind() -> None:
    made = definitions(order_type_id=1, count=100)
    assert len(made) == 100 and len({field.key for field in made}) == 100
    assert {field.function for field in made} == {
        "count", "sum", "min", "max", "latest", "months_since"}
    assert {field.source for field in made} == {"documents", "interactions", "complaints"}
