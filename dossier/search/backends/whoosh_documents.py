"""Document search on one Whoosh searcher, per segment: visibility and filters as cached
sets, the text part scored over whole posting lists among the allowed documents only,
then one exact total, facets over all of it, and the requested page.

Scope is applied before any text is scored: a document outside the searcher's scopes is
never counted, ranked or returned, whatever the query (there is no time-limited path
that could drop the filter).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from whoosh.query import Query
from whoosh.searching import Searcher

from dossier.search.backends.base import DocumentPage, Visibility
from dossier.search.backends.whoosh_matching import Matcher, Scores
from dossier.search.backends.whoosh_policy import DYNAMIC, STATIC, class_query
from dossier.search.backends.whoosh_query import (
    DocumentText,
    any_of,
    document_text,
    filter_queries,
)
from dossier.search.backends.whoosh_sets import ResultCache, SegmentCache, live, segment_key
from dossier.search.query import ParsedQuery

FACETS = ("type", "class", "scope", "storage")
_ID_BITS = 40  # date keys: YYYYMMDD above, the database id below


@dataclass
class _Leaf:
    searcher: Searcher
    offset: int
    found: frozenset[int] = frozenset()  # visible, filtered, matching, not deleted
    scores: Scores = field(default_factory=dict)


def empty_page() -> DocumentPage:
    return DocumentPage(ids=[], total=0, scores={}, facets={name: {} for name in FACETS})


class DocumentSearch:
    """One search: build it, then `page()`."""

    def __init__(self, searcher: Searcher, cache: SegmentCache, results: ResultCache,
                 query: ParsedQuery, visibility: Visibility) -> None:
        self.searcher = searcher
        self.cache = cache
        self.results = results
        self.query = query
        self.visibility = visibility
        self.text: DocumentText = document_text(query)
        self.matcher = Matcher(searcher)

    def page(self, page: int, per_page: int, order: str) -> DocumentPage:
        scopes = self._scopes()
        if not scopes:
            return empty_page()
        visible = any_of("scope", tuple(sorted(self.visibility.scopes)))
        filters = [q for q in [visible, any_of("scope", scopes), *filter_queries(self.query),
                               self._class_filter()] if q is not None]
        leaves = [_Leaf(leaf, offset) for leaf, offset in self.searcher.leaf_searchers()
                  if leaf.doc_count_all()]
        for leaf in leaves:
            key = (segment_key(leaf.searcher), tuple(filters), self.text)
            cached = self.results.get(self.searcher, key)
            if cached is None:
                self._match(leaf, filters)
                self.results.put(key, leaf.found, leaf.scores)
            else:
                leaf.found, leaf.scores = cached
        wanted = max(page, 1) * per_page
        if order == "relevance" and self.text.required:
            ranked = self._by_relevance(leaves, wanted)
        else:
            ranked = [(0.0, id_) for id_ in self._by_date(leaves, wanted)]
        shown = ranked[wanted - per_page:wanted]
        return DocumentPage(ids=[id_ for _score, id_ in shown],
                            total=sum(len(leaf.found) for leaf in leaves),
                            scores={id_: score for score, id_ in shown},
                            facets=self._facets(leaves))

    def _scopes(self) -> tuple[str, ...]:
        wanted = self.query.scopes or tuple(sorted(self.visibility.scopes))
        return tuple(scope for scope in wanted if scope in self.visibility.scopes)

    def _class_filter(self) -> Query | None:
        classes = [name for name in (STATIC, DYNAMIC) if name in self.query.classes]
        if len(classes) != 1:
            return None
        return class_query(classes[0], self.visibility)

    def _match(self, leaf: _Leaf, filters: list[Query]) -> None:
        sets = sorted((self.cache.docs(leaf.searcher, query) for query in filters), key=len)
        allowed: AbstractSet[int] = sets[0].intersection(*sets[1:])
        items = sorted(self.text.required,
                       key=lambda item: self.matcher.estimate(leaf.searcher, item))
        scores: Scores | None = None
        for item in items:
            found = self.matcher.scores(leaf.searcher, item,
                                        allowed if scores is None else scores.keys())
            scores = found if scores is None else {
                doc: scores[doc] + score for doc, score in found.items() if doc in scores}
            if not scores:
                break
        matched: AbstractSet[int] = allowed if scores is None else scores.keys()
        for item in self.text.excluded:
            if not matched:
                break
            matched = set(matched).difference(
                self.matcher.scores(leaf.searcher, item, matched))
        leaf.found = live(leaf.searcher, matched)
        leaf.scores = scores or {}

    def _by_relevance(self, leaves: list[_Leaf], wanted: int) -> list[tuple[float, int]]:
        """The best `wanted` by score, ties newest first (the same order on every page)."""
        best: list[tuple[float, int]] = []
        for leaf in leaves:
            keys = self.cache.columns(leaf.searcher).date_keys
            best.extend(heapq.nlargest(wanted, zip(map(leaf.scores.__getitem__, leaf.found),
                                                   map(keys.__getitem__, leaf.found),
                                                   strict=True)))
        best.sort(reverse=True)
        return [(score, key & (1 << _ID_BITS) - 1) for score, key in best[:wanted]]

    def _by_date(self, leaves: list[_Leaf], wanted: int) -> list[int]:
        keys: list[int] = []
        for leaf in leaves:
            date_keys = self.cache.columns(leaf.searcher).date_keys
            keys.extend(heapq.nlargest(wanted, (date_keys[doc] for doc in leaf.found)))
        return [key & (1 << _ID_BITS) - 1 for key in heapq.nlargest(wanted, keys)]

    def _facets(self, leaves: list[_Leaf]) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        class_sets = {name: class_query(name, self.visibility) for name in (STATIC, DYNAMIC)}
        for leaf in leaves:
            if not leaf.found:
                continue
            for name in ("type", "storage", "scope"):
                values, bits = self.cache.labels(leaf.searcher, name)
                for mask, count in Counter(map(bits.__getitem__, leaf.found)).items():
                    for index, value in enumerate(values):
                        if mask >> index & 1:
                            facets[name][value] = facets[name].get(value, 0) + count
            for name, query in class_sets.items():
                found = len(leaf.found.intersection(self.cache.docs(leaf.searcher, query)))
                if found:
                    facets["class"][name] = facets["class"].get(name, 0) + found
        facets["scope"] = {scope: count for scope, count in facets["scope"].items()
                           if scope in self.visibility.scopes}
        return facets
