"""Dutch addresses and phone numbers for the demo data: real streets, plausible postcodes."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

# Letter pairs that PostNL never issues.
EXCLUDED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
HOUSE_NUMBER_ADDITIONS: tuple[str, ...] = ("A", "B", "C", "-1", "-2", "-3", "bis", "-H")


@dataclass(frozen=True)
class City:
    name: str
    postcode_low: int  # the four digits of the city's postcode range
    postcode_high: int
    area_code: str  # trunk prefix for landlines, e.g. "020"
    streets: tuple[str, ...]


CITIES: tuple[City, ...] = (
    City("Amsterdam", 1011, 1109, "020", (
        "Prinsengracht", "Keizersgracht", "Herengracht", "Overtoom", "Kinkerstraat",
        "Ferdinand Bolstraat", "Van Baerlestraat", "Linnaeusstraat", "Javastraat",
        "Bilderdijkstraat", "Haarlemmerdijk", "Czaar Peterstraat")),
    City("Rotterdam", 3011, 3089, "010", (
        "Coolsingel", "Witte de Withstraat", "Nieuwe Binnenweg", "Kruiskade", "Meent",
        "Oudedijk", "Statenweg", "Bergweg", "Zwart Janstraat", "Beijerlandselaan")),
    City("Den Haag", 2491, 2597, "070", (
        "Laan van Meerdervoort", "Frederik Hendriklaan", "Weimarstraat", "Fahrenheitstraat",
        "Javastraat", "Prinsegracht", "Zoutmanstraat", "Regentesselaan")),
    City("Utrecht", 3511, 3585, "030", (
        "Oudegracht", "Biltstraat", "Amsterdamsestraatweg", "Kanaalstraat", "Twijnstraat",
        "Nobelstraat", "Burgemeester Reigerstraat", "Vleutenseweg", "Adelaarstraat")),
    City("Eindhoven", 5611, 5658, "040", (
        "Stratumseind", "Kruisstraat", "Woenselse Markt", "Boschdijk", "Hoogstraat",
        "Tongelresestraat", "Aalsterweg", "Kastanjelaan")),
    City("Groningen", 9711, 9747, "050", (
        "Herestraat", "Oosterstraat", "Folkingestraat", "Nieuwe Ebbingestraat",
        "Paterswoldseweg", "Korreweg", "Oosterhamrikkade", "Damsterdiep")),
    City("Tilburg", 5011, 5049, "013", (
        "Heuvelstraat", "Korvelseweg", "Ringbaan-West", "Goirkestraat", "Piusstraat",
        "Bredaseweg")),
    City("Breda", 4811, 4839, "076", (
        "Ginnekenweg", "Haagweg", "Boschstraat", "Baronielaan", "Teteringsedijk",
        "Nieuwe Ginnekenstraat")),
    City("Nijmegen", 6511, 6546, "024", (
        "Molenstraat", "Groesbeekseweg", "Sint Annastraat", "Graafseweg", "Hatertseweg",
        "Berg en Dalseweg")),
    City("Haarlem", 2011, 2037, "023", (
        "Grote Houtstraat", "Kleverparkweg", "Rijksstraatweg", "Zijlweg", "Schoterweg",
        "Kruisweg")),
    City("Arnhem", 6811, 6846, "026", (
        "Steenstraat", "Velperweg", "Amsterdamseweg", "Utrechtseweg", "Rijnkade",
        "Sonsbeekweg")),
    City("Zwolle", 8011, 8043, "038", (
        "Diezerstraat", "Assendorperstraat", "Thomas a Kempisstraat", "Bagijnesingel",
        "Middelweg")),
    City("Leiden", 2311, 2334, "071", (
        "Breestraat", "Haarlemmerstraat", "Morsweg", "Rijnsburgerweg", "Hooigracht",
        "Zoeterwoudsesingel")),
    City("Maastricht", 6211, 6229, "043", (
        "Wycker Brugstraat", "Tongersestraat", "Akerstraat", "Scharnerweg",
        "Brusselsestraat")),
    City("Amersfoort", 3811, 3829, "033", (
        "Langestraat", "Leusderweg", "Hogeweg", "Soesterweg", "Kamp")),
    City("Leeuwarden", 8911, 8939, "058", (
        "Nieuwestad", "Voorstreek", "Harlingersingel", "Oranjewijk", "Tuinen")),
    City("'s-Hertogenbosch", 5211, 5237, "073", (
        "Hinthamerstraat", "Vughterstraat", "Orthenseweg", "Koningsweg", "Graafseweg")),
    City("Enschede", 7511, 7548, "053", (
        "Haaksbergerstraat", "Oldenzaalsestraat", "Deurningerstraat", "Hengelosestraat",
        "Lasondersingel")),
)
# Bigger cities get more customers, as they would in a real customer base.
CITY_WEIGHTS: tuple[int, ...] = (14, 11, 9, 9, 7, 6, 5, 5, 5, 5, 4, 4, 4, 3, 3, 2, 2, 2)


@dataclass(frozen=True)
class Address:
    street: str
    house_number: int
    house_number_addition: str
    postcode: str
    city: str
    area_code: str


def postcode_letters(rng: random.Random) -> str:
    while True:
        letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(2))
        if letters not in EXCLUDED_POSTCODE_LETTERS:
            return letters


def random_address(rng: random.Random) -> Address:
    city = rng.choices(CITIES, weights=CITY_WEIGHTS)[0]
    digits = rng.randint(city.postcode_low, city.postcode_high)
    addition = rng.choice(HOUSE_NUMBER_ADDITIONS) if rng.random() < 0.15 else ""
    return Address(
        street=rng.choice(city.streets),
        house_number=rng.randint(1, 240),
        house_number_addition=addition,
        postcode=f"{digits} {postcode_letters(rng)}",
        city=city.name,
        area_code=city.area_code,
    )


def mobile_number(rng: random.Random) -> str:
    return f"06-{rng.randint(10_000_000, 99_999_999)}"


def landline_number(rng: random.Random, area_code: str) -> str:
    return f"{area_code}-{rng.randint(2_000_000, 8_999_999)}"
