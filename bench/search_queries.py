"""The search benchmark's fixed, seeded query mix: seven kinds of query as staff type them."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.search_data import CustomerFacts
from bench.search_words import COMMON_WORDS, MEDIUM_WORDS, PHRASES, PREFIXES, RARE_WORDS
from dossier.demo.names import LAST_NAMES, NEAR_DUPLICATES

KINDS = ("rare term", "common term", "phrase", "two terms", "term + klant:", "prefix",
         "fuzzy customer name")
QUERY_SEED = 5_2026
WARM_UP_SEED = 5_2027


@dataclass(frozen=True)
class Query:
    kind: str
    text: str


def _plain(words: Sequence[str]) -> list[str]:
    return [word for word in words if word.isalpha()]


def _typo(rng: random.Random, name: str) -> str:
    """One slip of the keyboard or of the ear: a letter dropped, doubled or swapped."""
    position = rng.randrange(1, len(name) - 1)
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        return name[:position] + name[position + 1:]
    if slip == "double":
        return name[:position] + name[position] + name[position:]
    return name[:position - 1] + name[position] + name[position - 1] + name[position + 1:]


def _fuzzy_name(rng: random.Random) -> str:
    if rng.random() < 0.4:  # the other spelling of a name that has two
        pair = rng.choice(NEAR_DUPLICATES)
        infix, last = pair[rng.randrange(2)]
    else:
        infix, last = rng.choice(LAST_NAMES)
        last = _typo(rng, last) if len(last) > 3 else last
    return f"{infix} {last}".strip() if rng.random() < 0.3 else last


def _makers(rng: random.Random,
            customers: Sequence[CustomerFacts]) -> dict[str, Callable[[], str]]:
    rare, common, medium = _plain(RARE_WORDS), _plain(COMMON_WORDS), _plain(MEDIUM_WORDS)
    # Staff search inside the dossiers that hold much: a customer is picked as often as
    # they have documents.
    with_documents = [c for c in customers if c.documents] or list(customers)
    weights = [max(c.documents, 1) for c in with_documents]
    return {
        "rare term": lambda: rng.choice(rare),
        "common term": lambda: rng.choice(common),
        "phrase": lambda: f'"{rng.choice(PHRASES[1:])}"',
        "two terms": lambda: f"{rng.choice(common)} {rng.choice(medium)}",
        "term + klant:": lambda: f"klant:{rng.choices(with_documents, weights)[0].number} "
                                 f"{rng.choice(common)}",
        "prefix": lambda: f"{rng.choice(PREFIXES)}*",
        "fuzzy customer name": lambda: _fuzzy_name(rng),
    }


def query_mix(count: int, customers: Sequence[CustomerFacts],
              seed: int = QUERY_SEED) -> list[Query]:
    """`count` queries, the kinds taken in turn (so every kind gets count/7), shuffled."""
    rng = random.Random(seed)
    makers = _makers(rng, customers)
    queries = [Query(kind, makers[kind]()) for kind in (KINDS * (count // len(KINDS) + 1))]
    queries = queries[:count]
    rng.shuffle(queries)
    return queries
