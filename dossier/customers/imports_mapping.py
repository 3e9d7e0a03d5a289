"""Which column of an import file fills which customer field: the targets, a guess from
Dutch and English header names, and the words a file may use for kinds, statuses,
channels and yes/no."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

from dossier.customers.key_fields import KEY_FIELDS
from dossier.customers.models import CustomField

CUSTOM_PREFIX = "custom_fields."
ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("klantnummer", "klantnr", "klant nr", "nummer", "relatienummer", "debiteurnummer",
               "customer number", "customer no", "customer id", "number", "id"),
    "kind": ("soort", "soort klant", "klantsoort", "type", "kind", "customer type"),
    "initials": ("voorletters", "initialen", "initials"),
    "first_name": ("voornaam", "roepnaam", "first name", "firstname", "given name", "forename"),
    "infix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "infix", "prefix"),
    "last_name": ("achternaam", "naam", "familienaam", "last name", "lastname", "surname",
                  "family name", "name"),
    "organisation_name": ("bedrijfsnaam", "bedrijf", "organisatie", "organisatienaam",
                          "company", "company name", "organisation", "organization",
                          "organisation name", "organization name"),
    "street": ("straat", "straatnaam", "adres", "street", "address", "street name"),
    "house_number": ("huisnummer", "huisnr", "huis nr", "nr", "house number", "house no",
                     "street number"),
    "house_number_addition": ("toevoeging", "huisnummertoevoeging", "huisletter", "addition",
                              "house number addition", "suffix"),
    "postcode": ("postcode", "post code", "postal code", "zip", "zipcode", "zip code"),
    "city": ("plaats", "woonplaats", "stad", "vestigingsplaats", "city", "town", "place"),
    "country": ("land", "landcode", "country", "country code"),
    "email": ("email", "e mail", "emailadres", "e mailadres", "mail", "email address",
              "e mail address"),
    "phone": ("telefoon", "telefoonnummer", "tel", "telnr", "mobiel", "mobiel nummer", "gsm",
              "phone", "telephone", "phone number", "mobile", "mobile phone"),
    "date_of_birth": ("geboortedatum", "geb datum", "geboren", "date of birth", "birth date",
                      "birthdate", "dob", "born"),
    "preferred_channel": ("voorkeurskanaal", "kanaal", "contactvoorkeur", "preferred channel",
                          "channel"),
    "status": ("status", "klantstatus", "customer status"),
}
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "kind": {"persoon": "person", "particulier": "person", "person": "person",
             "prive": "person", "organisatie": "organisation", "bedrijf": "organisation",
             "zakelijk": "organisation", "organisation": "organisation",
             "organization": "organisation", "company": "organisation"},
    "status": {"actief": "active", "active": "active", "prospect": "prospect",
               "inactief": "inactive", "inactive": "inactive", "niet actief": "inactive"},
    "preferred_channel": {"e mail": "email", "email": "email", "mail": "email",
                          "telefoon": "phone", "phone": "phone", "post": "post",
                          "brief": "post", "sms": "sms", "text message": "sms", "app": "app",
                          "balie": "counter", "counter": "counter"},
}
YES_NO = {"ja": "yes", "j": "yes", "yes": "yes", "y": "yes", "true": "yes", "waar": "yes",
          "1": "yes", "x": "yes", "nee": "no", "n": "no", "no": "no", "false": "no",
          "onwaar": "no", "0": "no"}


def normalise_header(text: str) -> str:
    """"E-mailadres " -> "e mailadres"; "Huis_nr." -> "huis nr"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def targets(fields: Sequence[CustomField]) -> list[str]:
    """Every field a column can fill: key fields, then custom fields."""
    return [*KEY_FIELDS, *(CUSTOM_PREFIX + field.key for field in fields)]


def guess_mapping(headers: Sequence[str], fields: Sequence[CustomField]) -> dict[str, str]:
    """{column index as text: target} for the headers that name a field; each field once."""
    known: dict[str, str] = {}
    for target, names in ALIASES.items():
        for name in (target.replace("_", " "), *names):
            known.setdefault(name, target)
    for custom in fields:
        for name in (custom.key.replace("_", " "), custom.label):
            known.setdefault(normalise_header(name), CUSTOM_PREFIX + custom.key)
    mapping: dict[str, str] = {}
    for index, header in enumerate(headers):
        guessed = known.get(normalise_header(header))
        if guessed and guessed not in mapping.values():
            mapping[str(index)] = guessed
    return mapping


def check_mapping(mapping: Mapping[str, str], headers: Sequence[str],
                  fields: Sequence[CustomField]) -> tuple[dict[str, str], list[str]]:
    """The mapping without ignored columns, and the problems with it."""
    allowed = set(targets(fields))
    clean: dict[str, str] = {}
    problems: list[str] = []
    for index, target in mapping.items():
        if not target:
            continue
        if not index.isdigit() or int(index) >= len(headers) or target not in allowed:
            problems.append(_("Column %(column)s cannot be mapped that way.", column=index))
        elif target in clean.values():
            problems.append(_("Two columns fill %(field)s; choose one.", field=target))
        else:
            clean[index] = target
    if not clean:
        problems.append(_("Choose at least one column to import."))
    return clean, problems


def choice_value(target: str, text: str) -> Any:
    """A kind, status or channel as the file wrote it, as the value the system stores."""
    aliases = VALUE_ALIASES.get(target)
    if not aliases:
        return text
    return aliases.get(normalise_header(text), text)


def yes_no(text: str) -> str:
    return YES_NO.get(normalise_header(text), text)
