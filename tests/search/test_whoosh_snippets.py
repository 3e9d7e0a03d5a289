"""Snippets from the Whoosh backend: matches between the marker characters, plain text only
(the core escapes it), a window of about thirty words around the best matches."""

from __future__ import annotations

from pathlib import Path

from dossier.search.backends.whoosh import WhooshBackend
from dossier.search.query import parse
from dossier.search.snippets import MARK_END, MARK_START, render

BEFORE = " ".join(f"voor{n}" for n in range(200))
AFTER = " ".join(f"na{n}" for n in range(200))


def snippet(query: str, text: str, tmp_path: Path) -> str:
    return WhooshBackend(tmp_path / "index").snippets(parse(query), {1: text})[1]


def marked(text: str) -> list[str]:
    return [part.split(MARK_END)[0] for part in text.split(MARK_START)[1:]]


def test_matches_are_wrapped_in_markers_with_their_forms(tmp_path: Path) -> None:
    text = "De Klachten over het café: één klacht is opgelost."
    result = snippet("klacht cafe", text, tmp_path)
    assert marked(result) == ["Klachten", "café", "klacht"]
    assert result.replace(MARK_START, "").replace(MARK_END, "") == text


def test_phrases_and_prefixes_are_marked(tmp_path: Path) -> None:
    result = snippet('"rode fiets" verzeker*', "Een rode fiets en een verzekering.", tmp_path)
    assert marked(result) == ["rode", "fiets", "verzekering"]


def test_the_snippet_is_a_window_around_the_best_match(tmp_path: Path) -> None:
    text = f"{BEFORE} hier staat de monteur die kwam {AFTER}"
    result = snippet("monteur", text, tmp_path)
    assert marked(result) == ["monteur"]
    assert 10 <= len(result.split()) <= 40
    assert result.startswith("… ") and result.endswith(" …")
    assert "voor0 " not in result and "na199" not in result


def test_text_is_returned_as_text_and_source_markers_are_dropped(tmp_path: Path) -> None:
    hostile = f"<script>alert(1)</script> {MARK_START}nep{MARK_END} factuur <b>betaald</b>"
    result = snippet("factuur", hostile, tmp_path)
    assert marked(result) == ["factuur"]
    assert "<script>" in result  # untouched here; the core escapes it
    html = str(render(result))
    assert "<script>" not in html
    assert "<mark>factuur</mark>" in html
    assert "<mark>nep" not in html


def test_nothing_matched_gives_an_empty_snippet(tmp_path: Path) -> None:
    assert snippet("onbekend", "Niets te zien.", tmp_path) == ""
    assert snippet("type:contract", "Een contract.", tmp_path) == ""
    assert snippet("contract", "", tmp_path) == ""
