"""Matching and scoring the text part of a document query in one segment, a whole posting
list at a time.

Every match is scored, with Whoosh's default BM25F (B=0.75, K1=1.2, the index-wide idf
and average field length), so the total is exact and the ranking never depends on where
a scan stopped. A phrase scores as its words (as Whoosh's span matcher does); prefixes
and fuzzy matches score their boost. Reading blocks directly is what makes this fast:
Whoosh's matchers spend several method calls on every posting.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any

from whoosh.query import And, MultiTerm, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from dossier.search.backends.whoosh_codec import (
    byte_lengths,
    length_bytes,
    posting_blocks,
    posting_values,
    postings,
    term_docs,
)
from dossier.search.backends.whoosh_fields import has_position, position_list

B, K1 = 0.75, 1.2
SKIP_RATIO = 64  # candidates this much rarer than a word: look them up, do not scan
Scores = dict[int, float]


class Matcher:
    """Scores items of one query against the leaves of one searcher."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._norms: dict[str, list[float]] = {}

    def scores(self, leaf: Searcher, item: Query, candidates: AbstractSet[int] | None) -> Scores:
        """{docnum: score} of the documents matching `item` (deleted ones included); with
        candidates, only documents among them."""
        if isinstance(item, Term):
            return self._term(leaf, item.fieldname, item.text, item.boost, candidates)
        if isinstance(item, Or):
            total: Scores = {}
            for sub in item.subqueries:
                for doc, score in self.scores(leaf, sub, candidates).items():
                    total[doc] = total.get(doc, 0.0) + score
            return total
        if isinstance(item, And):
            return self._and(leaf, item, candidates)
        if isinstance(item, Phrase):
            return self._phrase(leaf, item, candidates)
        if isinstance(item, MultiTerm):  # prefixes and fuzzy words: their expansions
            reader = leaf.reader()
            docs: set[int] = set()
            for field, text in item.expanded_terms(reader):
                docs.update(term_docs(reader, field, text))
            if candidates is not None:
                docs.intersection_update(candidates)
            return dict.fromkeys(docs, float(item.boost))
        raise TypeError(f"no matching for {item!r}")

    def estimate(self, leaf: Searcher, item: Query) -> tuple[int, int]:
        """(kind, documents) to order items: plain words first, the rarest first."""
        leaves = [item] if item.is_leaf() else list(item.leaves())
        kind = 2 if any(isinstance(q, Phrase) for q in leaves) else int(
            any(isinstance(q, MultiTerm) for q in leaves))
        reader = leaf.reader()
        frequency = sum(reader.doc_frequency(q.fieldname, q.text) for q in leaves
                        if isinstance(q, Term) and (q.fieldname, q.text) in reader)
        return kind, frequency

    def _and(self, leaf: Searcher, item: And, candidates: AbstractSet[int] | None) -> Scores:
        parts = sorted(item.subqueries, key=lambda sub: self.estimate(leaf, sub))
        total = self.scores(leaf, parts[0], candidates)
        for sub in parts[1:]:
            if not total:
                return {}
            more = self.scores(leaf, sub, total.keys())
            total = {doc: total[doc] + score for doc, score in more.items() if doc in total}
        boost = item.boost
        return total if boost == 1.0 else {doc: s * boost for doc, s in total.items()}

    def _phrase(self, leaf: Searcher, phrase: Phrase,
                candidates: AbstractSet[int] | None) -> Scores:
        """Documents with the words in a row, scored as the words (each once).

        Positions are read in two rounds: the two rarest words for every document that
        has all words, then the others ("de", "van") only where those two stand right."""
        reader, field = leaf.reader(), phrase.fieldname
        words = list(phrase.words)
        docs = _having_all(reader, field, words, candidates)
        if not docs:
            return {}
        order = sorted(range(len(words)), key=lambda i: reader.doc_frequency(field, words[i]))
        distinct = list(dict.fromkeys(words[index] for index in order))
        postings_of = {word: _values(reader, field, word, docs) for word in distinct[:2]}
        pair = [index for index in order if words[index] in postings_of]
        starts = _starts(docs, words, pair, postings_of)
        docs = set(starts)
        rest = [index for index in order if words[index] not in postings_of]
        if docs and rest:
            postings_of.update((word, _values(reader, field, word, docs))
                               for word in distinct[2:])
            docs = _confirmed(starts, words, rest, postings_of)
        return self._scored_words(reader, phrase, docs, postings_of)

    def _scored_words(self, reader: Any, phrase: Phrase, docs: set[int],
                      postings_of: dict[str, dict[int, tuple[float, bytes]]]) -> Scores:
        field = phrase.fieldname
        norms = self._norm_table(field)
        lengths = length_bytes(reader, field) or _AVERAGE
        scores: Scores = dict.fromkeys(docs, 0.0)
        for word, found in postings_of.items():
            factor = phrase.boost * self.searcher.idf(field, word) * (K1 + 1)
            for doc in docs:
                weight = found[doc][0]
                scores[doc] += factor * weight / (weight + norms[lengths[doc]])
        return scores

    def _term(self, leaf: Searcher, field: str, text: str, boost: float,
              candidates: AbstractSet[int] | None) -> Scores:
        reader = leaf.reader()
        matcher = postings(reader, field, text)
        if matcher is None or (candidates is not None and not candidates):
            return {}
        factor = boost * self.searcher.idf(field, text) * (K1 + 1)
        norms = self._norm_table(field)
        lengths = length_bytes(reader, field) or _AVERAGE
        scores: Scores = {}
        if candidates is not None and len(candidates) * SKIP_RATIO < reader.doc_frequency(
                field, text):
            for doc in sorted(candidates):
                if not matcher.is_active():
                    break
                matcher.skip_to(doc)
                if matcher.is_active() and matcher.id() == doc:
                    weight = matcher.weight()
                    scores[doc] = factor * weight / (weight + norms[lengths[doc]])
            return scores
        for ids, weights in posting_blocks(matcher):
            if candidates is None:
                for doc, weight in zip(ids, weights, strict=False):
                    scores[doc] = factor * weight / (weight + norms[lengths[doc]])
            else:
                for doc, weight in zip(ids, weights, strict=False):
                    if doc in candidates:
                        scores[doc] = factor * weight / (weight + norms[lengths[doc]])
        return scores

    def _norm_table(self, field: str) -> list[float]:
        """BM25's length normalisation for each of the 256 length bytes."""
        table = self._norms.get(field)
        if table is None:
            average = self.searcher.avg_field_length(field) or 1
            table = [K1 * ((1 - B) + B * length / average) for length in byte_lengths()]
            table.append(K1)  # _AVERAGE_BYTE: a document of average length
            self._norms[field] = table
        return table


class _Average:
    """Length bytes of a field that keeps none: every document of average length."""

    def __getitem__(self, doc: int) -> int:
        return _AVERAGE_BYTE


_AVERAGE_BYTE = 256
_AVERAGE = _Average()


def _having_all(reader: Any, field: str, words: list[str],
                candidates: AbstractSet[int] | None) -> set[int]:
    """Documents (among candidates) that have every one of `words`, rarest first."""
    docs: set[int] | None = None
    for word in sorted(set(words), key=lambda w: reader.doc_frequency(field, w)):
        found = term_docs(reader, field, word)
        if docs is None:
            docs = set(found) if candidates is None else {
                doc for doc in found if doc in candidates}
        else:
            docs.intersection_update(found)
        if not docs:
            return set()
    return docs or set()


def _values(reader: Any, field: str, word: str,
            docs: AbstractSet[int]) -> dict[int, tuple[float, bytes]]:
    return {doc: (weight, value) for doc, weight, value in
            posting_values(postings(reader, field, word), docs)}


def _starts(docs: AbstractSet[int], words: list[str], order: list[int],
            postings_of: dict[str, dict[int, tuple[float, bytes]]]) -> dict[int, list[int]]:
    """Where the phrase would start in each document, judged by the words in `order`:
    each position of the first, looked up in the others' stored positions without
    decoding them."""
    first = order[0]
    rest = [(index - first, postings_of[words[index]]) for index in order[1:]]
    first_postings = postings_of[words[first]]
    found: dict[int, list[int]] = {}
    for doc in docs:
        for position in position_list(first_postings[doc][1]):
            for offset, values in rest:
                if not has_position(values[doc][1], position + offset):
                    break
            else:
                found.setdefault(doc, []).append(position - first)
    return found


def _confirmed(starts: dict[int, list[int]], words: list[str], order: list[int],
               postings_of: dict[str, dict[int, tuple[float, bytes]]]) -> set[int]:
    """The documents where the words in `order` are at their place for one of the starts."""
    rest = [(index, postings_of[words[index]]) for index in order]
    return {doc for doc, found in starts.items()
            if any(all(has_position(values[doc][1], start + index) for index, values in rest)
                   for start in found)}
