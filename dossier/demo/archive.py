"""The demo archive: where the demo's paper originals are, and what happened to them.

One site in Utrecht with a basement archive (two cabinets and a rack) and a desk with
a return shelf, and an external depot in Nieuwegein for the older years. Originals are
filed in boxes by year (about 30 to a box, boxes hold 40); every demo document kept on
paper gets its original, with that box as its home, checked in a few days after the
document's date. Some were lent out and came back, the boxes of the oldest years went
to the depot, and today: a few originals are out with colleagues (one overdue), a few
wait on the return shelf, one is missing, colleagues have asked for some (the pick
list, one request queued behind a loan, one handed over), and one contract is asked for
so often that the digitisation advisor proposes to scan it.

Everything goes through the archive's own services as the demo clerk, at the times the
history says (`at=`), so movements, states, requests and audit events agree. Only a
loan already past its due date is appended directly: the check-out service rightly
refuses a due date in the past.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from dossier.archive import locations, movements, requests
from dossier.archive.models import Location, LocationKind, Movement, MovementKind, PhysicalItem
from dossier.archive.recording import append_for_item
from dossier.auth.models import User
from dossier.auth.permissions import Action, Feature, can
from dossier.auth.services import find_user
from dossier.documents.models import Document
from dossier.extensions import db

BOX_CAPACITY = 40
PER_BOX = 30
SHELF_CAPACITY = 6  # boxes
DEPOT_AFTER_YEARS = 4  # boxes of older years went to the depot
LOAN_SHARE = 0.12
PURPOSES = (
    "Klant wil het ondertekende origineel inzien.",
    "Handtekening controleren voor de verlenging.",
    "Kopie voor de advocaat in het geschil.",
    "Controle door de accountant.",
    "Origineel nodig bij de klachtbehandeling.",
)
BORROWERS = ("sales", "care", "loyalty", "compliance")


@dataclass
class _Archive:
    """The demo tree: shelves in filling order, the return shelf, the depot shelves."""

    shelves: list[Location] = field(default_factory=list)
    depot: list[Location] = field(default_factory=list)
    returns: Location | None = None
    boxes: list[Location] = field(default_factory=list)


def load_archive(today: date, seed: int) -> dict[str, int]:
    """Add the demo archive; the caller commits. Nothing without a demo clerk, and
    nothing when there is an archive already (demo data loaded again with --force adds
    customers and documents; their originals are not registered yet)."""
    clerk = _clerk()
    if clerk is None or db.session.scalar(select(Location.id).limit(1)) is not None:
        return {}
    rng = random.Random(seed)  # noqa: S311 (repeatable demo data, not secrets)
    now = min(datetime.combine(today, time(9, 30)), _utcnow())
    tree = _build_tree(clerk)
    documents = list(db.session.scalars(
        select(Document).where(Document.paper_original.is_(True))
        .order_by(Document.document_date, Document.id)))
    borrowers = [user for user in (find_user(name) for name in BORROWERS) if user]
    history = _History(rng, clerk, borrowers, now)
    items = _file_originals(clerk, tree, documents, now)
    favourite = _favourite(items, now)
    others = [item for item in items if item is not favourite]
    loans = history.past_loans(others)
    db.session.flush()
    _send_old_boxes_to_the_depot(clerk, tree, now)
    current = history.today(tree, others)
    asked = history.often_asked(favourite) if favourite is not None else 0
    return {"archive locations": db.session.scalar(select(func.count(Location.id))) or 0,
            "paper originals": len(items), "past loans": loans + asked,
            "originals out": current.out, "retrieval requests": current.requests + asked}


def _favourite(items: list[PhysicalItem], now: datetime) -> PhysicalItem | None:
    """A contract filed more than a year ago: the one colleagues keep asking for."""
    return next((item for item in items if item.document is not None
                 and item.document.document_type.code == "contract"
                 and item.document.document_date < (now - timedelta(days=400)).date()), None)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _clerk() -> User | None:
    for name in ("clerk", "admin"):
        user = find_user(name)
        if user is not None and user.active and can(user, Action.EDIT, Feature.ARCHIVE):
            return user
    return None


def _build_tree(clerk: User) -> _Archive:
    tree = _Archive()
    site = locations.create_location(clerk, LocationKind.SITE, "Archief Utrecht")
    basement = locations.create_location(clerk, LocationKind.ROOM, "Kelder", site)
    for kind, name, shelves in ((LocationKind.CABINET, "Kast A", 4),
                                (LocationKind.CABINET, "Kast B", 4),
                                (LocationKind.RACK, "Rek C", 3)):
        cabinet = locations.create_location(clerk, kind, name, basement)
        tree.shelves += [locations.create_location(clerk, LocationKind.SHELF, f"Plank {n}",
                                                   cabinet, capacity=SHELF_CAPACITY)
                         for n in range(1, shelves + 1)]
    desk = locations.create_location(clerk, LocationKind.ROOM, "Archiefbalie", site)
    tree.returns = locations.create_location(clerk, LocationKind.SHELF, "Retourplank", desk,
                                             capacity=25)
    depot = locations.create_location(clerk, LocationKind.SITE, "Depot Nieuwegein")
    hall = locations.create_location(clerk, LocationKind.ROOM, "Hal 2", depot)
    rack = locations.create_location(clerk, LocationKind.RACK, "Rek 14", hall)
    tree.depot = [locations.create_location(clerk, LocationKind.SHELF, f"Plank {n}", rack,
                                            capacity=SHELF_CAPACITY * 2) for n in (1, 2, 3)]
    return tree


def _file_originals(clerk: User, tree: _Archive, documents: list[Document],
                    now: datetime) -> list[PhysicalItem]:
    """Every original into the box of its year, in date order, checked in a few days
    after its date. Years of filing are written in one go, as a migration of an
    existing archive would be (item, check-in, the item pointing at its latest
    movement); what happens from then on goes through the services."""
    items: list[PhysicalItem] = []
    shelves = iter(tree.shelves)
    shelf = next(shelves)
    box: Location | None = None
    year = number = in_box = on_shelf = 0
    for document in documents:
        if box is None or document.document_date.year != year or in_box >= PER_BOX:
            if document.document_date.year != year:
                year, number = document.document_date.year, 0
            number += 1
            if on_shelf >= SHELF_CAPACITY:
                shelf, on_shelf = next(shelves), 0
            box = locations.create_location(clerk, LocationKind.BOX,
                                            f"Archief {year} doos {number}", shelf,
                                            capacity=BOX_CAPACITY)
            tree.boxes.append(box)
            in_box, on_shelf = 0, on_shelf + 1
        in_box += 1
        filed = min(datetime.combine(document.document_date, time(14)) + timedelta(days=4),
                    now - timedelta(hours=2))
        item = PhysicalItem(document=document, home_location=box, created_by_id=clerk.id,
                            created_at=filed)
        item.last_movement = Movement(item=item, kind=MovementKind.CHECK_IN.value,
                                      actor_id=clerk.id, at=filed, to_location=box)
        db.session.add_all((item, item.last_movement))
        items.append(item)
    return items


def _send_old_boxes_to_the_depot(clerk: User, tree: _Archive, now: datetime) -> None:
    """The boxes of years long past were moved whole to the depot at the last clear-out."""
    cutoff = now.year - DEPOT_AFTER_YEARS
    moved_on = now - timedelta(days=200)
    depot = iter(tree.depot)
    shelf, on_shelf = next(depot), 0
    for box in tree.boxes:
        if int(box.name.split()[1]) > cutoff:
            continue
        if on_shelf >= SHELF_CAPACITY * 2:
            shelf, on_shelf = next(depot), 0
        on_shelf += 1
        locations.move_location(clerk, box, shelf, at=moved_on, note="Jaarlijkse verhuizing "
                                "naar het depot")


@dataclass
class _Today:
    out: int = 0
    requests: int = 0


class _History:
    def __init__(self, rng: random.Random, clerk: User, borrowers: list[User],
                 now: datetime) -> None:
        self.rng, self.clerk, self.borrowers, self.now = rng, clerk, borrowers, now

    def _reader(self, item: PhysicalItem, other_than: User | None = None) -> User | None:
        """A colleague who may see the item's document (and so ask for it)."""
        document = item.document
        fitting = [user for user in self.borrowers if document is not None
                   and can(user, Action.VIEW, document) and user is not other_than]
        return self.rng.choice(fitting) if fitting else None

    def past_loans(self, items: list[PhysicalItem]) -> int:
        """About one original in eight was lent out once and came back, more than a
        month ago (written with the filing)."""
        count = 0
        latest = self.now - timedelta(days=45)
        for item in items:
            filed = item.last_movement
            if filed is None or filed.at >= latest or self.rng.random() >= LOAN_SHARE:
                continue
            person = self._reader(item)
            if person is None:
                continue
            start = filed.at + (latest - filed.at) * self.rng.uniform(0.1, 1)
            lent = Movement(item=item, kind=MovementKind.CHECK_OUT.value,
                            actor_id=self.clerk.id, at=start, from_location=item.home_location,
                            to_person=person, due_on=(start + timedelta(days=14)).date())
            item.last_movement = Movement(
                item=item, kind=MovementKind.CHECK_IN.value, actor_id=self.clerk.id,
                at=start + timedelta(days=self.rng.randint(2, 20), hours=self.rng.randint(1, 6)),
                to_location=item.home_location)
            db.session.add_all((lent, item.last_movement))
            count += 1
        return count

    def _loan(self, item: PhysicalItem, person: User, start: datetime, days: int,
              back_to: Location | None = None) -> None:
        append_for_item(self.clerk, item, MovementKind.CHECK_OUT,
                        from_location=item.last_movement.to_location if item.last_movement
                        else None, to_person=person,
                        due_on=(start + timedelta(days=14)).date(), at=start)
        movements.check_in(self.clerk, item, back_to,
                           at=start + timedelta(days=days, hours=self.rng.randint(1, 6)))

    def today(self, tree: _Archive, items: list[PhysicalItem]) -> _Today:
        """Out now (one overdue), on the return shelf, missing, asked for."""
        result = _Today()
        # Originals filed more than a month ago (whatever happens today comes after their
        # last movement), the last two years' first.
        settled = [item for item in items if item.last_movement is not None
                   and item.last_movement.at < self.now - timedelta(days=30)]
        recent = [item for item in settled if item.document is not None
                  and item.document.document_date.year >= self.now.year - 1]
        self.rng.shuffle(recent)
        pool: Iterator[PhysicalItem] = iter(recent + [i for i in settled if i not in recent])
        today = self.now.date()
        for days_ago, due_in in ((2, 12), (5, 9), (1, 13), (8, 6)):
            item = next(pool)
            person = self._reader(item)
            if person is not None:
                movements.check_out(self.clerk, item, person, today + timedelta(days=due_in),
                                    at=self.now - timedelta(days=days_ago, hours=1))
                result.out += 1
        overdue = next(pool)
        holder = self._reader(overdue)
        if holder is not None:  # lent out three weeks ago for two weeks
            start = self.now - timedelta(days=20)
            append_for_item(self.clerk, overdue, MovementKind.CHECK_OUT,
                            from_location=overdue.last_movement.to_location
                            if overdue.last_movement else None, to_person=holder,
                            due_on=(start + timedelta(days=14)).date(), at=start,
                            note="Voor het klantgesprek")
            result.out += 1
        for _ in range(3):  # back from a loan, not yet refiled
            item = next(pool)
            person = self._reader(item)
            if person is not None:
                self._loan(item, person, self.now - timedelta(days=9), 6, tree.returns)
        movements.mark_missing(self.clerk, next(pool), at=self.now - timedelta(days=3),
                               note="Niet gevonden bij de telling van de plank")
        result.requests = self._requests(pool, overdue, result)
        return result

    def _requests(self, pool: Iterator[PhysicalItem], overdue: PhysicalItem,
                  result: _Today) -> int:
        asked = 0
        for _ in range(4):  # on the pick list
            item = next(pool)
            person = self._reader(item)
            if person is not None and item.document is not None:
                requests.ask(person, item.document, self.rng.choice(PURPOSES))
                asked += 1
        queued_for = self._reader(overdue, other_than=overdue.last_movement.to_person
                                  if overdue.last_movement else None)
        if queued_for is not None and overdue.document is not None:
            requests.ask(queued_for, overdue.document, "Inzage door de klant volgende week.")
            asked += 1
        handed = next(pool)  # asked for, picked and handed over this morning
        person = self._reader(handed)
        if person is not None and handed.document is not None:
            requests.ask(person, handed.document, self.rng.choice(PURPOSES))
            movements.check_out(self.clerk, handed, person, self.now.date() + timedelta(days=14))
            asked += 1
            result.out += 1
        return asked

    def often_asked(self, item: PhysicalItem) -> int:
        """A contract asked for, lent and returned four times this year: the digitisation
        advisor proposes to scan it."""
        if item.document is None:
            return 0
        asked = 0
        for months_ago in (10, 7, 4, 2):
            person = self._reader(item)
            if person is None:
                continue
            start = self.now - timedelta(days=30 * months_ago)
            request = requests.ask(person, item.document, self.rng.choice(PURPOSES))
            request.requested_at = start - timedelta(days=1)
            self._loan(item, person, start, 5)
            asked += 1
        return asked
