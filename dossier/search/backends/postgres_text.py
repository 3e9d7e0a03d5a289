"""A ParsedQuery's words as a tsquery, never by passing typed text to to_tsquery().

PostgreSQL normalises each word and phrase in both text search configurations
(plainto_tsquery / phraseto_tsquery, which take any text safely); the backend joins
their output with &, | and !. A word matches when its Dutch or its English form is in
the document: "contracten" finds "contract", "complaints" finds "complaint". A word
that either language drops as a stop word ("de", "the") is left out: a Dutch text's
vector holds no "de", so asking for its English form would find nothing. Unless the
query is a name: when every word and phrase typed is made of words of customers' names
("Meer", "Van der Meer", "Jan de Vries"), such words are looked for in the documents'
customer names, indexed once more without stop words (NAMES_CONFIGURATION). Prefixes are
folded (lower case, no accents) and matched against the indexed forms with :*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from dossier.search.backends.postgres_schema import CONFIGURATIONS, NAMES_CONFIGURATION
from dossier.search.query import ParsedQuery

_WORD_PART = re.compile(r"[^\W_]+")
_ONE_LEXEME = re.compile(r"^'(?:[^']|'')+'$")
# A stop word of each configuration: in a phrase, a word the other language drops (but
# this one keeps) is replaced by it, so both forms of "bevestiging van de afspraak" read
# 'bevestig' <3> 'afspraak' and neither asks the index for the ubiquitous "van" and "de".
STOP_WORDS = {"dossier_nl": "de", "dossier_en": "the"}


def _phrase_sql(config: str) -> str:
    others = [c for c in CONFIGURATIONS if c != config]
    dropped_elsewhere = " OR ".join(f"numnode(plainto_tsquery('{c}', x.w)) = 0" for c in others)
    return (f"phraseto_tsquery('{config}', (SELECT string_agg(CASE WHEN ({dropped_elsewhere}) "  # noqa: S608
            f"AND numnode(plainto_tsquery('{config}', x.w)) > 0 THEN '{STOP_WORDS[config]}' "
            f"ELSE x.w END, ' ' ORDER BY x.n) FROM regexp_split_to_table(t.value, '\\s+') "
            f"WITH ORDINALITY AS x(w, n)))::text")


# Whether every word of the value is a word of some customer's name.
_NAME_WORDS = ("NOT EXISTS (SELECT 1 FROM regexp_split_to_table(dossier_fold(t.value), "
               "'[^[:alnum:]]+') AS w(word) WHERE w.word <> '' AND NOT EXISTS ("
               "SELECT 1 FROM search_name_word n WHERE n.word = w.word))")
_NORMALISE = text(
    "SELECT t.value, "
    + ", ".join(f"plainto_tsquery('{c}', t.value)::text, {_phrase_sql(c)}"
                for c in CONFIGURATIONS)
    + f", dossier_fold(t.value), plainto_tsquery('{NAMES_CONFIGURATION}', t.value)::text, "
      f"phraseto_tsquery('{NAMES_CONFIGURATION}', t.value)::text, {_NAME_WORDS} "
      "FROM unnest(CAST(:values AS text[])) AS t(value)")


@dataclass(frozen=True)
class TextQuery:
    """tsquery texts: `match` for the WHERE clause (None: no text condition), `rank` the
    positive part for ranking and highlighting; `empty`: words were typed but none is
    searchable (all stop words), so nothing can match."""

    match: str | None
    rank: str | None
    empty: bool


@dataclass(frozen=True)
class _Forms:
    words: tuple[str, ...]  # plainto_tsquery per configuration
    phrase: tuple[str, ...]  # phraseto_tsquery per configuration
    folded: str
    name_words: str = ""  # plainto_tsquery in NAMES_CONFIGURATION (no stop words)
    name_phrase: str = ""  # phraseto_tsquery in NAMES_CONFIGURATION
    in_names: bool = False  # every word of it is a word of some customer's name


def _either(alternatives: tuple[str, ...]) -> str | None:
    """The forms joined by |; None when a configuration has no form (a stop word)."""
    if not all(alternatives):
        return None
    present = list(dict.fromkeys(alternatives))
    return present[0] if len(present) == 1 else " | ".join(f"( {a} )" for a in present)


STEMMED_PREFIX = 4  # letters from which a prefix also stands for its stems


def _prefix(forms: _Forms) -> str | None:
    """The folded prefix, and for one word of four letters or more its stems too:
    "verzekering*" finds "verzekeringen" (indexed as 'verzeker')."""
    parts = _WORD_PART.findall(forms.folded)
    if not parts:
        return None
    if len(parts) > 1 or len(parts[0]) < STEMMED_PREFIX:
        # Letters and digits only: no quote or backslash to escape.
        return " & ".join(f"'{part}':*" for part in parts)
    stems = [form[1:-1].replace("''", "'") for form in forms.words if _ONE_LEXEME.match(form)]
    kept: list[str] = []
    for lexeme in sorted({parts[0], *stems}, key=len):  # 'instal':* covers 'install':*
        if not any(lexeme.startswith(shorter) for shorter in kept):
            kept.append(lexeme)
    return " | ".join(f"{_quoted(lexeme)}:*" for lexeme in kept)


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _forms(session: Session, values: list[str]) -> dict[str, _Forms]:
    if not values:
        return {}
    rows = session.execute(_NORMALISE, {"values": values}).all()
    count = len(CONFIGURATIONS)
    return {row[0]: _Forms(words=tuple(row[1 + 2 * i] for i in range(count)),
                           phrase=tuple(row[2 + 2 * i] for i in range(count)),
                           folded=row[1 + 2 * count] or "", name_words=row[2 + 2 * count],
                           name_phrase=row[3 + 2 * count], in_names=bool(row[4 + 2 * count]))
            for row in rows}


def _or_name(found: str | None, name_form: str, as_name: bool) -> str | None:
    """A word or phrase a language drops as stop words ("meer"), as a customer name's
    word when the query is a name; dropped otherwise."""
    if found is not None or not as_name:
        return found
    return name_form or None


def text_query(session: Session, query: ParsedQuery) -> TextQuery:
    """The query's words, phrases, prefixes and exclusions as tsquery texts."""
    values = [*query.terms, *query.phrases, *query.prefixes, *query.excluded]
    forms = _forms(session, list(dict.fromkeys(values)))
    typed = [*query.terms, *query.phrases]
    as_name = bool(typed) and all(forms[value].in_names for value in typed)
    positive = [_or_name(_either(forms[term].words), forms[term].name_words, as_name)
                for term in query.terms]
    positive += [_or_name(_either(forms[phrase].phrase), forms[phrase].name_phrase, as_name)
                 for phrase in query.phrases]
    positive += [_prefix(forms[prefix]) for prefix in query.prefixes]
    kept = [f"( {part} )" for part in positive if part]
    excluded = [_either(forms[item].phrase if " " in item else forms[item].words)
                for item in query.excluded]
    negative = [f"!( {part} )" for part in excluded if part]
    rank = " & ".join(kept) or None
    if query.has_text and rank is None:
        return TextQuery(match=None, rank=None, empty=True)
    match = " & ".join(kept + negative) or None
    return TextQuery(match=match, rank=rank, empty=False)
