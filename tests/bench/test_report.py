"""BENCHMARKS.md sections: a rerun replaces its own section and leaves the rest alone."""

from __future__ import annotations

from pathlib import Path

from bench.report import write_section


def test_a_new_file_gets_a_header_and_the_section(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    write_section("dossier-page:sqlite", "| a | b |", path)
    text = path.read_text()
    assert text.startswith("# Benchmarks")
    assert "<!-- bench:dossier-page:sqlite:start -->\n| a | b |\n" in text


def test_a_rerun_replaces_only_its_own_section(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\nHand-written notes.\n\n"
                    "<!-- bench:one:start -->\nold one\n<!-- bench:one:end -->\n\n"
                    "<!-- bench:two:start -->\nold two\n<!-- bench:two:end -->\n")
    write_section("one", "new one $1 \\1", path)  # no regex replacement escapes
    write_section("three", "third", path)
    text = path.read_text()
    assert "new one $1 \\1" in text and "old one" not in text
    assert "old two" in text and "Hand-written notes." in text
    assert text.rstrip().endswith("<!-- bench:three:end -->")
    assert text.count("<!-- bench:one:start -->") == 1
