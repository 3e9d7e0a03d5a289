"""The Dutch catalogue: complete for the current source, placeholders intact, compiled, used."""

from __future__ import annotations

import re
from datetime import date
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from dossier.config import PROJECT_ROOT
from tests.factories import DocumentFactory, UserFactory, login

TRANSLATIONS = PROJECT_ROOT / "dossier" / "translations"
DUTCH_PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
DUTCH_MO = DUTCH_PO.with_suffix(".mo")
# The same keywords as `make translations-update` (babel.cfg names them for Babel >= 2.14).
KEYWORDS = ("_l", "lazy_gettext", "N_", "pgettext:1c,2", "lazy_pgettext:1c,2")
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")

Key = tuple[str | None, str]


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _key(message: Message) -> Key:
    singular = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return message.context, str(singular)


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Every string marked for translation in the source as it is now."""
    output = tmp_path_factory.mktemp("i18n") / "messages.pot"
    options = [item for keyword in KEYWORDS for item in ("-k", keyword)]
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(PROJECT_ROOT / "babel.cfg"), *options,
        "-o", str(output), str(PROJECT_ROOT),
    ])
    return _read(output)


@pytest.fixture(scope="module")
def dutch() -> Catalog:
    return _read(DUTCH_PO)


def _translated(dutch: Catalog) -> dict[Key, Message]:
    return {_key(message): message for message in dutch if message.id}


def test_extraction_finds_the_strings(extracted: Catalog) -> None:
    found = {_key(message) for message in extracted if message.id}
    assert (None, "Log in") in found  # a template
    assert (None, "Unknown username or wrong password.") in found  # Python code
    assert ("field type", "Number") in found  # a context keeps two meanings apart
    assert (None, "expired SLAs no longer apply") in found  # marked with N_ in seed data


def test_every_string_has_a_dutch_translation(extracted: Catalog, dutch: Catalog) -> None:
    catalogue = _translated(dutch)
    problems = []
    for message in extracted:
        if not message.id:
            continue
        entry = catalogue.get(_key(message))
        if entry is None:
            problems.append(f"missing: {message.id!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif _forms(entry.id) != _forms(message.id):
            problems.append(f"plural changed: {message.id!r}")
        elif not _forms(entry.string) or not all(form.strip() for form in _forms(entry.string)):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "Run `make translations-update` and translate:\n" + "\n".join(problems)


def test_dutch_catalogue_has_two_plural_forms(dutch: Catalog) -> None:
    assert dutch.num_plurals == 2
    plurals = [message for message in dutch if message.pluralizable]
    assert plurals
    for message in plurals:
        assert len(_forms(message.string)) == 2, message.id


def test_placeholders_survive_translation(dutch: Catalog) -> None:
    problems = []
    for message in dutch:
        if not message.id:
            continue
        sources = _forms(message.id)
        for index, translation in enumerate(_forms(message.string)):
            source = sources[min(index, len(sources) - 1)]
            if _placeholders(translation) != _placeholders(source):
                problems.append(f"{source!r} -> {translation!r}")
    assert not problems, "\n".join(problems)


def test_catalogue_compiles_and_passes_babels_checks(dutch: Catalog) -> None:
    assert [(message.id, errors) for message, errors in dutch.check()] == []
    compiled = BytesIO()
    write_mo(compiled, dutch)
    compiled.seek(0)
    translations = GNUTranslations(compiled)
    assert translations.gettext("Log in") == "Inloggen"
    assert translations.ngettext("%(num)s month", "%(num)s months", 1) == "%(num)s maand"
    assert translations.ngettext("%(num)s month", "%(num)s months", 84) == "%(num)s maanden"
    assert translations.pgettext("field type", "Number") == "Getal"


def _lookup(translations: GNUTranslations, message: Message) -> list[str]:
    """What the compiled catalogue says for `message`, one string per plural form."""
    forms = _forms(message.id)
    if len(forms) == 2:
        singular, plural = forms
        if message.context:
            return [translations.npgettext(message.context, singular, plural, n) for n in (1, 2)]
        return [translations.ngettext(singular, plural, n) for n in (1, 2)]
    if message.context:
        return [translations.pgettext(message.context, forms[0])]
    return [translations.gettext(forms[0])]


@pytest.fixture(scope="module")
def compiled_catalogue(dutch: Catalog) -> None:
    """The .mo the app reads (gitignored, made by `make translations`) matches the .po."""
    assert DUTCH_MO.exists(), "dossier/translations is not compiled: run `make translations`"
    with DUTCH_MO.open("rb") as handle:
        translations = GNUTranslations(handle)
    stale = [message.id for message in dutch
             if message.id and _lookup(translations, message) != _forms(message.string)]
    assert not stale, f"messages.mo is out of date, run `make translations`: {stale[:5]}"


@pytest.mark.usefixtures("compiled_catalogue")
@pytest.mark.parametrize(("locale", "expected", "absent"), [
    ("nl", ("Welkom,", "Uitloggen", "Klant of document zoeken", "Verkoop"),
     ("Welcome,", "Log out")),
    ("en", ("Welcome,", "Log out", "Find a customer or document", "Sales"),
     ("Welkom,", "Uitloggen")),
])
def test_dashboard_speaks_the_users_language(client: FlaskClient, locale: str,
                                             expected: tuple[str, ...],
                                             absent: tuple[str, ...]) -> None:
    login(client, UserFactory(roles=["sales"], locale=locale))
    html = client.get("/").get_data(as_text=True)
    assert f'<html lang="{locale}">' in html
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html


@pytest.mark.usefixtures("compiled_catalogue")
def test_login_page_in_dutch_for_a_visitor_who_chose_dutch(client: FlaskClient) -> None:
    assert "<h1>Log in</h1>" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"locale": "nl"})
    html = client.get("/login").get_data(as_text=True)
    assert "<h1>Inloggen</h1>" in html
    assert "Gebruikersnaam" in html and "Wachtwoord" in html


@pytest.mark.usefixtures("compiled_catalogue")
@pytest.mark.parametrize(("locale", "expected"), [
    ("nl", ("€ 1.234,56", "1 mrt 2025", "Kerngegevens", "Bedrag", "84 maanden vanaf")),
    ("en", ("€1,234.56", "Mar 1, 2025", "Key points", "Amount", "84 months from")),
])
def test_document_page_formats_money_and_dates_for_the_locale(
    client: FlaskClient, locale: str, expected: tuple[str, ...]
) -> None:
    invoice = DocumentFactory(type_code="invoice", scopes=["sales"],
                              document_date=date(2025, 3, 1),
                              key_points={"invoice_number": "F-1", "amount": "1234.56"})
    login(client, UserFactory(roles=["sales"], locale=locale))
    html = client.get(f"/documents/{invoice.id}").get_data(as_text=True).replace("\xa0", " ")
    for text in expected:
        assert text in html
