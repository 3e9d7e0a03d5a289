"""Dutch titles and key points for each seeded document type, as in a home-installation firm."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

Content = tuple[str, dict[str, Any]]
QUOTE_PRODUCTS = (
    ("renovatie dakgoot", 800, 4500), ("zonnepanelen 10 stuks", 4500, 9000),
    ("vervanging CV-ketel", 1800, 4200), ("hybride warmtepomp", 4500, 9500),
    ("spouwmuurisolatie", 1200, 3500), ("onderhoudscontract CV-ketel", 120, 250),
    ("thuisbatterij", 5000, 11000), ("airco slaapkamer", 1500, 3500),
    ("laadpaal", 900, 2200), ("vloerverwarming", 3000, 9000),
)
CONTRACTS = (
    ("Servicecontract CV-ketel", 1, 3, 150, 350), ("Onderhoudscontract zonnepanelen", 2, 5,
    120, 300), ("Huurcontract waterontharder", 3, 5, 180, 420), ("Leasecontract warmtepomp",
    5, 8, 2400, 6000), ("Onderhoudscontract airco", 1, 3, 90, 240),
    ("Servicecontract laadpaal", 2, 4, 100, 260),
)
SHOP_PRODUCTS = (
    ("filterset ventilatie", 35, 90), ("slimme thermostaat", 180, 260),
    ("rookmelders set van 3", 40, 120), ("CO-melder", 25, 60),
    ("waterontharderzout 25 kg", 12, 25), ("slimme stekkers 4 stuks", 40, 80),
    ("radiatorfolie", 15, 40), ("waterbesparende douchekop", 25, 70),
    ("onderhoudsbeurt CV-ketel", 95, 160), ("laadkabel type 2", 180, 300),
)
SERVICE_ISSUES = (
    ("lekkage", "CV-ketel"), ("storing CV-ketel", "CV-ketel"),
    ("geen warm water", "CV-ketel"), ("omvormer geeft foutcode", "Zonnepanelen"),
    ("warmtepomp maakt geluid", "Warmtepomp"), ("thermostaat reageert niet", "Thermostaat"),
    ("laadpaal laadt niet", "Laadpaal"), ("druk CV-installatie te laag", "CV-ketel"),
    ("airco lekt condenswater", "Airco"),
)
SLA_LEVELS = (("gold", "Goud", 4), ("silver", "Zilver", 8), ("bronze", "Brons", 24))
COMPLAINTS = (
    "te late levering", "onjuiste factuur", "monteur niet verschenen",
    "schade bij installatie", "slechte bereikbaarheid klantenservice",
    "opbrengst zonnepanelen valt tegen", "herhaalde storing",
)
RESOLUTIONS = (
    "Excuses aangeboden en tegoedbon van 25 euro gestuurd.", "Factuur gecorrigeerd.",
    "Nieuwe afspraak ingepland en nagebeld.", "Schade vergoed na expertise.",
    "Onderdeel kosteloos vervangen.",
)
INCOMING = (
    "Vraag over onderhoudsbeurt", "Verhuisbericht", "Wijziging bankrekening",
    "Verzoek om kopie contract", "Bedankbrief voor de monteur",
    "Vraag over subsidie warmtepomp",
)
OUTGOING = (
    "Bevestiging afspraak monteur", "Herinnering onderhoudsbeurt", "Welkomstbrief",
    "Wijziging algemene voorwaarden", "Jaaroverzicht energieopbrengst",
    "Uitnodiging klantenpanel",
)
MAILINGS = ("Voorjaarsactie", "Najaarsactie zonnepanelen", "Klanttevredenheidsonderzoek",
            "Onderhoudsbeurt met korting")


def money(rng: random.Random, low: int, high: int) -> str:
    cents = rng.randint(low * 100, high * 100)
    return f"{cents // 100}.{cents % 100:02d}"


def _iso(day: date) -> str:
    return day.isoformat()


def _years_later(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


class ContentMaker:
    """Makes (title, key points) for a type; numbers of orders and invoices run on."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.serials: Counter[str] = Counter()
        self.makers: dict[str, Callable[[date, str], Content]] = {
            "quote": self.quote, "contract": self.contract, "order": self.order,
            "invoice": self.invoice, "service_call": self.service_call, "sla": self.sla,
            "complaint": self.complaint, "purchase": self.purchase,
            "correspondence": self.correspondence, "reply_coupon": self.reply_coupon,
        }

    def make(self, code: str, day: date, signer: str) -> Content:
        return self.makers[code](day, signer)

    def _serial(self, prefix: str, day: date) -> str:
        self.serials[f"{prefix}{day.year}"] += 1
        return f"{prefix}{day.year}-{self.serials[f'{prefix}{day.year}']:05d}"

    def quote(self, day: date, signer: str) -> Content:
        product, low, high = self.rng.choice(QUOTE_PRODUCTS)
        valid_until = day + timedelta(days=30)
        if valid_until >= self.today:
            status = self.rng.choice(("open", "open", "open", "accepted", "rejected"))
        else:
            status = self.rng.choice(("accepted", "accepted", "rejected", "expired", "expired"))
        return f"Offerte {product}", {"amount": f"{self.rng.randint(low, high)}.00",
                                      "valid_until": _iso(valid_until), "status": status}

    def contract(self, day: date, signer: str) -> Content:
        name, shortest, longest, low, high = self.rng.choice(CONTRACTS)
        points: dict[str, Any] = {"start_date": _iso(day), "signed_by": signer,
                                  "value": money(self.rng, low, high)}
        if self.rng.random() < 0.9:  # the rest run until cancelled
            points["end_date"] = _iso(_years_later(day, self.rng.randint(shortest, longest)))
        return f"{name} {day.year}", points

    def order(self, day: date, signer: str) -> Content:
        product, low, high = self.rng.choice(QUOTE_PRODUCTS + SHOP_PRODUCTS)
        delivery = day + timedelta(days=self.rng.randint(7, 42))
        return f"Order {product}", {"order_number": self._serial("ORD-", day),
                                    "amount": money(self.rng, low, high),
                                    "delivery_date": _iso(delivery)}

    def invoice(self, day: date, signer: str) -> Content:
        product, low, high = self.rng.choice(QUOTE_PRODUCTS + SHOP_PRODUCTS)
        number = self._serial("F", day)
        due = day + timedelta(days=30)
        paid = self.rng.random() < (0.97 if due < self.today else 0.3)
        return f"Factuur {number} {product}", {"invoice_number": number,
                                                "amount": money(self.rng, low, high),
                                                "due_date": _iso(due), "paid": paid}

    def service_call(self, day: date, signer: str) -> Content:
        issue, product = self.rng.choice(SERVICE_ISSUES)
        recent = (self.today - day).days <= 60
        if self.rng.random() < (0.75 if recent else 0.03):
            return f"Servicemelding {issue}", {"status": "open", "product": product}
        closed = min(day + timedelta(days=self.rng.randint(1, 20)), self.today)
        return f"Servicemelding {issue}", {"status": "closed", "product": product,
                                           "closed_on": _iso(closed)}

    def sla(self, day: date, signer: str) -> Content:
        level, dutch, hours = self.rng.choice(SLA_LEVELS)
        end = _years_later(day, self.rng.randint(1, 3))
        return f"SLA {dutch} {day.year}", {"start_date": _iso(day), "end_date": _iso(end),
                                           "service_level": level,
                                           "response_hours": str(hours)}

    def complaint(self, day: date, signer: str) -> Content:
        subject = self.rng.choice(COMPLAINTS)
        recent = (self.today - day).days <= 90
        if self.rng.random() < (0.6 if recent else 0.05):
            return f"Klacht {subject}", {"status": "open", "subject": subject}
        return f"Klacht {subject}", {"status": "closed", "subject": subject,
                                     "resolution": self.rng.choice(RESOLUTIONS)}

    def purchase(self, day: date, signer: str) -> Content:
        product, low, high = self.rng.choice(SHOP_PRODUCTS)
        channel = self.rng.choices(("store", "web", "phone"), (3, 5, 2))[0]
        return f"Aankoop {product}", {"product": product, "amount": money(self.rng, low, high),
                                      "channel": channel}

    def correspondence(self, day: date, signer: str) -> Content:
        direction = self.rng.choice(("incoming", "outgoing"))
        subject = self.rng.choice(INCOMING if direction == "incoming" else OUTGOING)
        return subject, {"direction": direction, "subject": subject}

    def reply_coupon(self, day: date, signer: str) -> Content:
        mailing = f"{self.rng.choice(MAILINGS)} {day.year}"
        answer = self.rng.choices(("yes", "no", "maybe"), (5, 3, 2))[0]
        responded = min(day + timedelta(days=self.rng.randint(3, 21)), self.today)
        return f"Antwoordcoupon {mailing}", {"mailing": mailing, "answer": answer,
                                             "responded_on": _iso(responded)}
