"""The search benchmark, small: the same code on 300 documents and 20 queries writes its report."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from bench.search import main
from bench.search_data import CustomerFacts, make_customers
from bench.search_profile import statement_shape, statement_table
from bench.search_queries import KINDS, query_mix
from bench.search_report import markdown
from bench.search_words import COMMON_WORDS, RARE_WORDS, vocabulary
from tests.support.databases import using_postgres

BACKEND = "postgres" if using_postgres() else "whoosh"


@pytest.mark.committed
def test_a_small_run_measures_every_part_and_writes_its_section(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\nNotes kept.\n")
    main(["--docs", "300", "--queries", "21", "--warm-up", "3", "--backend", BACKEND,
          "--no-profile", "--report", str(report)])
    text = report.read_text()
    section = text.split(f"<!-- bench:search:{BACKEND}:300:start -->")[1]
    section = section.split(f"<!-- bench:search:{BACKEND}:300:end -->")[0]
    assert "Notes kept." in text
    for measure in ("Index build, `search.rebuild()`", "Query p50 / p95 / p99",
                    "HTTP `GET /search?q=...` p50 / p95 / p99", "Peak RSS during the build",
                    "Index on disk", "Noise reference"):
        assert measure in section, measure
    assert "| Hits outside the `sales` scope | 0 | 0 | met |" in section
    assert all(f"| {kind} | 3 |" in section for kind in KINDS)
    assert f"--docs 300 --backend {BACKEND} --queries 21" in section


def test_the_corpus_and_the_mix_are_the_same_for_the_same_seed() -> None:
    first = make_customers(random.Random(7), 50)
    assert first == make_customers(random.Random(7), 50)
    facts = [CustomerFacts(row["number"], row["last_name"], 5) for row in first]
    mix = query_mix(70, facts)
    assert mix == query_mix(70, facts)
    assert {query.kind for query in mix} == set(KINDS)
    assert sum(query.kind == "phrase" for query in mix) == 10
    assert any(query.text.startswith("klant:") for query in mix)


def test_the_queried_words_sit_at_their_frequency_ranks() -> None:
    words = vocabulary(60_000, 1)
    assert len(set(words)) == len(words) == 60_000
    rank = {word: index for index, word in enumerate(words)}
    assert all(rank[word] < 400 for word in COMMON_WORDS)
    assert all(8_000 <= rank[word] < 50_000 for word in RARE_WORDS)


def _result(p95: float, profiles: dict[str, str]) -> dict[str, Any]:
    figures = {"p50": 10.0, "p95": p95, "p99": p95 + 5, "max": p95 + 9, "n": 14}
    return {
        "backend": "whoosh", "documents": 100_000, "engine": "whoosh-reloaded 2.7.5",
        "database": "sqlite 3.40.1", "warm_up": 40,
        "load": {"customers": 20_000, "files": 90_000, "paper_only": 10_000, "seconds": 50.0},
        "build": {"documents": 100_000, "seconds": 200.0, "rate": 500.0, "cpu_seconds": 380.0,
                  "cpu_own": 80.0, "cpu_workers": 300.0, "sql": "",
                  "rss_before_mb": 90,
                  "peak_tree_mb": 400, "index_mb": {"whoosh index directory": 330.0}},
        "queries": {"all": figures, "cpu": figures, "kinds": {"phrase": figures},
                    "commit_p50": 2.0,
                    "baseline": figures | {"p50": 0.2}, "out_of_scope_hits": 0, "empty": 1,
                    "total_median": 120, "peak_rss_mb": 300},
        "query_profiles": profiles,
    }


def test_statements_are_grouped_without_their_values() -> None:
    shapes = {statement_shape("SELECT a FROM t WHERE id IN (%(id_1)s, %(id_2)s) AND b = ?"),
              statement_shape("SELECT a FROM t WHERE id IN (?, ?, ?) AND b = ?")}
    assert shapes == {"SELECT a FROM t WHERE id IN (...) AND b = ?"}
    table = statement_table({"INSERT x": [3.0, 5.0], "SELECT y": [1.0]}, runs=2)
    assert table.splitlines()[1].split() == ["8.0", "4.00", "2", "INSERT", "x"]


def test_a_missed_target_is_written_with_its_gap_and_profile() -> None:
    profile = {"python": "   ncalls  tottime  slow_function", "sql": "  12.0  SELECT slow"}
    text = markdown(_result(250.0, {"mix": profile}), "cmd")
    assert "Query p50 / p95 / p99, `search.search()` as `sales` | 10.0 / 250 / 255 ms" in text
    assert "**missed**" in text
    assert "**Gap, queries**: p95 250 ms against 200 ms (+50.0 ms)" in text
    assert "slow_function" in text and "SELECT slow" in text


def test_a_met_target_has_no_gap() -> None:
    text = markdown(_result(150.0, {}), "cmd")
    assert "Gap" not in text
    assert "| p95 <= 200 ms | met |" in text
