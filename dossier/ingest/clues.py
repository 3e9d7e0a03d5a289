"""What a scan's text says about whose it is: customer numbers, e-mail addresses,
postcodes with house numbers, and words that may be names, each with the page it is on.

Pure text work, no database: `suggestions.py` looks the clues up. OCR text is hostile
input (anything can be printed on paper), so every list of clues is capped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

Key = TypeVar("Key", str, "Address")
MAX_CLUES = 500  # per kind: a 500-page scan must not make a query with 100,000 values
MAX_PHRASES = 1500
MAX_PHRASE_WORDS = 6
_PUNCTUATION = ",;:()[]\"'\u201c\u201d\u2018\u2019"
# Words before a number that make it a customer number rather than any number.
NUMBER_LABELS = ("klantnummer", "klantnr", "klant nr", "relatienummer", "relatienr",
                 "debiteurnummer", "debiteurnr", "lidnummer", "customer number", "customer no",
                 "client number", "account number", "member number")
LABEL_WINDOW = 30  # characters before the number in which a label counts
_LABEL_BEFORE = re.compile(r"(?:" + "|".join(NUMBER_LABELS) + r")\W{0,3}$")
SALUTATIONS = ("geachte", "beste", "mevrouw", "meneer", "heer", "mevr", "dhr", "dear", "mr",
               "mrs", "ms", "mister", "madam")
# Dutch name infixes ("de Vries" is stored as infix "de", last name "Vries").
INFIXES = frozenset({"de", "den", "der", "van", "het", "'t", "te", "ten", "ter", "op", "in",
                     "la", "le", "du", "da", "di", "von", "vd", "v.d."})
NOT_NAMES = INFIXES | frozenset(SALUTATIONS)

_NUMBER = re.compile(r"(?<![\w@.-])([A-Za-z]{0,4}-?\d[\dA-Za-z-]{2,18})(?![\w@-])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
# Dutch postcodes are printed in capitals: "1234 AB" (lower case would match "2025 en").
_POSTCODE = re.compile(r"(?<![\w-])([1-9]\d{3}) ?([A-Z]{2})(?![\w-])")
_EXCLUDED_POSTCODE_LETTERS = {"SA", "SD", "SS"}
_NUMBER_AFTER = re.compile(r"^[ \t,]*(\d{1,5})(?!\d)")
_NUMBER_ON_STREET = re.compile(r"[A-Za-zÀ-ÿ.'\u2019]{2,}[ \t]+(\d{1,5})(?![\d:.,]\d)")
ADDRESS_WINDOW = 80  # characters before a postcode in which its street line is looked for
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\u2019]*(?:-[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\u2019]*)*")
_INITIALS = re.compile(r"(?<![\w.])((?:[A-Z]\. ?){1,4})(?= ?[A-Za-z])")


@dataclass(frozen=True)
class Address:
    postcode: str  # as stored: "1234 AB"
    house_number: int

    def __str__(self) -> str:
        return f"{self.postcode} {self.house_number}"


@dataclass
class Clues:
    """Each clue with the first page (1-based) it was found on."""

    pages: list[str]
    numbers: dict[str, int] = field(default_factory=dict)
    labelled_numbers: set[str] = field(default_factory=set)
    emails: dict[str, int] = field(default_factory=dict)  # as printed
    addresses: dict[Address, int] = field(default_factory=dict)
    postcodes: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)  # capitalised, as names are stored
    initials: dict[str, int] = field(default_factory=dict)  # "J.P."
    after_salutation: dict[str, int] = field(default_factory=dict)
    phrases: dict[str, int] = field(default_factory=dict)  # lower case, up to 6 words

    @property
    def empty(self) -> bool:
        return not (self.numbers or self.emails or self.postcodes or self.words
                    or self.phrases)


def find_clues(text: str) -> Clues:
    """The clues in `text`, whose pages are separated by form feeds (as OCR stores them)."""
    clues = Clues(pages=text.split("\f") if text else [])
    for page, page_text in enumerate(clues.pages, start=1):
        _numbers(page_text, page, clues)
        _emails(page_text, page, clues)
        _addresses(page_text, page, clues)
        _names(page_text, page, clues)
    return clues


def _add(found: dict[Key, int], key: Key, page: int) -> None:
    if len(found) < MAX_CLUES:
        found.setdefault(key, page)


def _numbers(text: str, page: int, clues: Clues) -> None:
    for match in _NUMBER.finditer(text):
        token = match.group(1).strip("-")
        if len(token) < 4 or not any(char.isdigit() for char in token):
            continue
        _add(clues.numbers, token, page)
        before = text[max(0, match.start() - LABEL_WINDOW):match.start()].lower()
        if _LABEL_BEFORE.search(before):  # "Klantnummer: 100234", right before it
            clues.labelled_numbers.add(token)


def _emails(text: str, page: int, clues: Clues) -> None:
    for match in _EMAIL.finditer(text):
        _add(clues.emails, match.group(0).strip("."), page)


def _addresses(text: str, page: int, clues: Clues) -> None:
    for match in _POSTCODE.finditer(text):
        digits, letters = match.groups()
        if letters in _EXCLUDED_POSTCODE_LETTERS:
            continue
        postcode = f"{digits} {letters}"
        _add(clues.postcodes, postcode, page)
        for number in _house_numbers(text, match.start(), match.end()):
            _add(clues.addresses, Address(postcode, number), page)


def _house_numbers(text: str, start: int, end: int) -> list[int]:
    """House numbers that go with the postcode at text[start:end].

    Forms print "1234 AB 12"; letters print the street line first ("Dorpsstraat 12",
    then "1234 AB Amsterdam" on the next line or after a comma).
    """
    numbers = []
    after = _NUMBER_AFTER.match(text[end:end + 8])
    if after:
        numbers.append(int(after.group(1)))
    # The postcode's own line and the one above it.
    window = "\n".join(text[max(0, start - ADDRESS_WINDOW):start].split("\n")[-2:])
    on_street = list(_NUMBER_ON_STREET.finditer(window))
    if on_street:
        numbers.append(int(on_street[-1].group(1)))
    return [number for number in numbers if number > 0]


def _names(text: str, page: int, clues: Clues) -> None:
    for line in text.splitlines():
        words = _WORD.findall(line)
        for index, word in enumerate(words):
            if len(word) < 2 or not word[0].isupper() or word.lower() in NOT_NAMES:
                continue
            name = _title(word) if word.isupper() else word
            _add(clues.words, name, page)
            if _follows_salutation(words, index):
                _add(clues.after_salutation, name, page)
        _phrases(line.split(), page, clues)
        for match in _INITIALS.finditer(line):
            _add(clues.initials, match.group(1).replace(" ", ""), page)


def _follows_salutation(words: list[str], index: int) -> bool:
    """"Geachte heer Jansen", "Dear Mrs Smith", "mevrouw De Vries" (infixes skipped)."""
    before = index - 1
    while before >= 0 and words[before].lower() in INFIXES:
        before -= 1
    return before >= 0 and words[before].lower().rstrip(".") in SALUTATIONS


def _phrases(tokens: list[str], page: int, clues: Clues) -> None:
    """Runs of words that start with a capital, in lower case as organisation names are
    sorted ("bakkerij de vries b.v."), with and without a closing full stop."""
    tokens = [token.strip(_PUNCTUATION) for token in tokens]
    for start, token in enumerate(tokens):
        if not token[:1].isupper() and not token[:1].isdigit():
            continue
        for size in range(1, MAX_PHRASE_WORDS + 1):
            if start + size > len(tokens):
                break
            phrase = " ".join(tokens[start:start + size]).lower()
            if len(phrase) >= 3 and len(clues.phrases) < MAX_PHRASES:
                clues.phrases.setdefault(phrase, page)
                clues.phrases.setdefault(phrase.rstrip("."), page)


def _title(word: str) -> str:
    """JANSEN -> Jansen, VAN-DIJK -> Van-Dijk: how capitals in letterheads are stored."""
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
