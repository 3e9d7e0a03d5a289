"""Dutch names for the demo data: people, organisations and the demo staff."""

from __future__ import annotations

MALE_FIRST_NAMES: tuple[str, ...] = (
    "Jan", "Pieter", "Kees", "Henk", "Willem", "Gerrit", "Hendrik", "Johannes", "Cornelis",
    "Bram", "Daan", "Sem", "Lucas", "Thijs", "Joost", "Ruud", "Marco", "Sander", "Bas",
    "Niels", "Jeroen", "Maarten", "Wouter", "Frank", "Erik", "Stijn", "Teun", "Jesse",
    "Arjen", "Dirk", "Koen", "Tom", "Martijn", "Rutger", "Floris", "Sjoerd", "Wim", "Ton",
)
FEMALE_FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Maria", "Johanna", "Cornelia", "Els", "Ingrid", "Marieke", "Annemiek", "Sanne",
    "Lotte", "Emma", "Julia", "Sophie", "Fleur", "Femke", "Lieke", "Anouk", "Esther",
    "Marloes", "Ilse", "Karin", "Monique", "Petra", "Wilma", "Ria", "Truus", "Noor", "Tess",
    "Iris", "Roos", "Eva", "Saskia", "Hanneke", "Margriet", "Nienke", "Geertje", "Mirjam",
)
# (infix, last name). Near-duplicates on purpose (Jansen/Janssen, Bakker/Backer, ...):
# they are what typo-tolerant search has to cope with.
LAST_NAMES: tuple[tuple[str, str], ...] = (
    ("", "Jansen"), ("", "Janssen"), ("", "Janssens"), ("de", "Jong"), ("de", "Vries"),
    ("van den", "Berg"), ("van den", "Bergh"), ("van", "Dijk"), ("van", "Dyk"),
    ("", "Bakker"), ("", "Backer"), ("", "Visser"), ("", "Smit"), ("", "Smits"),
    ("", "Meijer"), ("", "Meyer"), ("de", "Boer"), ("", "Mulder"), ("", "Mulders"),
    ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Pieters"),
    ("", "Pieterse"), ("", "Pietersen"), ("", "Hendriks"), ("", "Hendriksen"),
    ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
    ("", "Smeets"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"),
    ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("de", "Bruin"),
    ("van der", "Heijden"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"),
    ("van", "Vliet"), ("van de", "Ven"), ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"),
    ("", "Koster"), ("van", "Dam"), ("van der", "Wal"), ("", "Prins"), ("", "Blom"),
    ("", "Huisman"), ("", "Peeters"), ("de", "Jonge"), ("", "Kuipers"), ("", "Kuiper"),
    ("ter", "Horst"), ("", "Postma"), ("", "Visscher"), ("van", "Wijk"), ("", "Kramer"),
)
# Every one of these pairs is in the demo data, so a search for one can be shown to find both.
NEAR_DUPLICATES: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("", "Jansen"), ("", "Janssen")), (("", "Pieterse"), ("", "Pietersen")),
    (("", "Bakker"), ("", "Backer")), (("", "Meijer"), ("", "Meyer")),
    (("van", "Dijk"), ("van", "Dyk")), (("de", "Bruijn"), ("de", "Bruin")),
    (("", "Smit"), ("", "Smits")), (("van den", "Berg"), ("van den", "Bergh")),
)
ORGANISATION_TRADES: tuple[str, ...] = (
    "Installatietechniek", "Bouwbedrijf", "Schilderwerken", "Loodgietersbedrijf",
    "Dakdekkers", "Klimaattechniek", "Elektrotechniek", "Vastgoedbeheer", "Tandartspraktijk",
    "Bakkerij", "Autobedrijf", "Accountants", "Hoveniers", "Transport", "Kinderopvang",
    "Zonnestroom", "Timmerfabriek", "Administratiekantoor",
)
ORGANISATION_FORMS: tuple[tuple[str, float], ...] = (
    ("B.V.", 0.55), ("V.O.F.", 0.2), ("& Zonen", 0.1), ("Holding B.V.", 0.05),
    ("C.V.", 0.05), ("N.V.", 0.05),
)
FOUNDATIONS: tuple[str, ...] = (
    "Stichting Woonzorg Het Baken", "Stichting Sportpark De Wetering",
    "Stichting Dorpshuis De Schakel", "Stichting Muziekschool Amstelland",
    "Stichting Zorggroep Rivierenland", "Vereniging van Eigenaren Parkzicht",
    "Coöperatie Energie Noord U.A.", "Stichting Openbare Bibliotheek Midden",
    "Vereniging Tennispark De Lobben", "Stichting Kinderboerderij De Hooiberg",
)
# The demo logins: username -> (full name, roles); every password is "demo".
DEMO_USERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("admin", "Annelies de Wit", ("admin",)),
    ("sales", "Sven Bakker", ("sales",)),
    ("care", "Carla van der Meer", ("care",)),
    ("loyalty", "Lars Hoekstra", ("loyalty",)),
    ("clerk", "Koen Verhoeven", ("clerk",)),
    ("compliance", "Cor van Leeuwen", ("compliance",)),
)
DEMO_PASSWORD = "demo"  # noqa: S105 (the documented demo password)
