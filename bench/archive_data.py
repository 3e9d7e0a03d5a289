"""The archive benchmark's data: a location tree, paper originals and their movements.

A realistic archive at scale, loaded straight into the real tables (COPY on PostgreSQL,
executemany on SQLite): sites > rooms > cabinets and racks > shelves > boxes, every
original in a box with that box as its home, and eight years of history per original:
checked in, lent out and back (a few originals very often, most rarely), counted in
censuses, boxes moved to other shelves. The latest movement of each original sets its
state (most in the archive; some out, some of those overdue; a few in transit, missing
or destroyed), and the columns the app keeps from the movements are written to match:
`physical_item.last_movement_id` is the latest movement by (time, id), and a box's
`parent_id` is where its latest movement put it. Each original belongs to a paper-only
document of a customer. Open retrieval requests fill a pick list; older ones were
returned. The same seed always gives the same archive.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, insert, select, text

from bench.search_data import make_customers
from dossier.archive.desk_models import RetrievalRequest
from dossier.archive.models import Location, Movement, PhysicalItem
from dossier.auth.models import User
from dossier.auth.services import create_user
from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentScope, DocumentType
from dossier.documents.models import document_customer as document_customer_table
from dossier.documents.retention import retention_until
from dossier.extensions import db

SEED = 20261125
YEARS = 8
PER_BOX = (24, 36)  # items per box when loaded; boxes hold 40
BOX_CAPACITY = 40
BOXES_PER_SHELF = 6
SHELF_CAPACITY = 8
SHELVES_PER_CABINET = 6
CABINETS_PER_ROOM = 12
ROOMS_PER_SITE = 8
SITES = ("Archief Utrecht", "Depot Nieuwegein", "Archief Amersfoort", "Depot Houten")
ROOMS = ("Kelder", "Begane grond", "Eerste verdieping", "Tweede verdieping", "Zolder",
         "Kluis", "Bijgebouw", "Containerruimte")
CLERK_PASSWORD = "bench-Clerk-2026"
BORROWERS = 60
HISTORY_ITEM_MOVEMENTS = 400  # the long history the history page is measured on
LOAN_DAYS = 14
TYPE_CODES = ("contract", "sla", "reply_coupon", "invoice", "correspondence", "order")
PURPOSES = ("Inzage door de klant", "Handtekening controleren", "Kopie voor de advocaat",
            "Controle door de accountant", "Klacht: origineel nodig", "Verlenging contract")
BATCH = 20_000


@dataclass
class Plan:
    """What the load generator and the measurements need to know about the archive."""

    items: int = 0
    movements: int = 0
    box_movements: int = 0
    locations: int = 0
    boxes: int = 0
    requests_open: int = 0
    pickable: int = 0  # open requests on the pick list, as the desk shows it
    requests_closed: int = 0
    seconds: float = 0.0
    clerks: list[str] = field(default_factory=list)
    borrower_ids: list[int] = field(default_factory=list)
    history_item: int = 0
    history_entries: int = 0
    # Per item id: (home box id, status). Status: in, out, transit, missing, destroyed.
    state: dict[int, tuple[int, str]] = field(default_factory=dict)
    requested: set[int] = field(default_factory=set)  # items with an open request
    box_fill: dict[int, int] = field(default_factory=dict)
    out_to: dict[int, int] = field(default_factory=dict)  # checked-out item -> borrower


@dataclass
class _Tree:
    rows: list[dict[str, Any]] = field(default_factory=list)
    boxes: list[int] = field(default_factory=list)
    shelves: list[int] = field(default_factory=list)
    box_shelf: dict[int, int] = field(default_factory=dict)


class _Ids:
    def __init__(self) -> None:
        self.next = 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def build_tree(rng: random.Random, boxes: int, created: datetime) -> _Tree:
    """Enough shelves for `boxes` boxes at about 6 a shelf, and a tenth of them empty."""
    tree, ids = _Tree(), _Ids()
    shelves_needed = -(-boxes // BOXES_PER_SHELF) + max(1, boxes // BOXES_PER_SHELF // 10)
    cabinets_needed = -(-shelves_needed // SHELVES_PER_CABINET)
    rooms_needed = -(-cabinets_needed // CABINETS_PER_ROOM)
    sites_needed = min(len(SITES), -(-rooms_needed // ROOMS_PER_SITE))
    per_site = -(-rooms_needed // sites_needed)

    def add(kind: str, name: str, parent: int | None, capacity: int | None) -> int:
        location_id = ids.take()
        tree.rows.append({"id": location_id, "kind": kind, "name": name, "parent_id": parent,
                          "capacity": capacity, "active": True, "created_at": created})
        return location_id

    rooms = []
    for site_number in range(sites_needed):
        site = add("site", SITES[site_number], None, None)
        rooms += [add("room", ROOMS[n % len(ROOMS)] + (f" {n // len(ROOMS) + 1}"
                                                         if n >= len(ROOMS) else ""),
                      site, None) for n in range(per_site)]
    cabinets = []
    for number in range(cabinets_needed):
        room = rooms[number // CABINETS_PER_ROOM]
        kind = "rack" if number % 4 == 3 else "cabinet"
        letter = chr(ord("A") + number % CABINETS_PER_ROOM)
        cabinets.append(add(kind, f"{'Rek' if kind == 'rack' else 'Kast'} {letter}", room,
                            None))
    for number in range(shelves_needed):
        cabinet = cabinets[number // SHELVES_PER_CABINET]
        tree.shelves.append(add("shelf", f"Plank {number % SHELVES_PER_CABINET + 1}",
                                cabinet, SHELF_CAPACITY))
    for number in range(boxes):
        shelf = tree.shelves[number // BOXES_PER_SHELF]
        box = add("box", f"Doos {number + 1:05d}", shelf, BOX_CAPACITY)
        tree.boxes.append(box)
        tree.box_shelf[box] = shelf
    rng.shuffle(tree.shelves)
    return tree


def _batch_id(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:32]


class HistoryMaker:
    """Movements of items and boxes, oldest first per subject, ids in the order made."""

    def __init__(self, rng: random.Random, now: datetime, clerk_ids: list[int],
                 borrower_ids: list[int]) -> None:
        self.rng, self.now = rng, now
        self.clerks, self.borrowers = clerk_ids, borrower_ids
        self.ids = _Ids()
        self.start = now - timedelta(days=YEARS * 365)
        self.last: dict[int, int] = {}  # item -> its latest movement id
        self.closed_requests: list[dict[str, Any]] = []

    def _row(self, kind: str, at: datetime, **columns: Any) -> dict[str, Any]:
        row = {"id": self.ids.take(), "item_id": None, "location_id": None, "kind": kind,
               "actor_id": self.rng.choice(self.clerks), "at": at, "from_location_id": None,
               "to_location_id": None, "to_person_id": None, "due_on": None,
               "batch_id": None, "note": ""}
        row.update(columns)
        return row

    def box_moves(self, box: int, shelf: int, shelves: list[int]) -> list[dict[str, Any]]:
        """Put on a shelf when made; a fifth of the boxes moved once since."""
        made = self.start + timedelta(days=self.rng.randint(0, 200))
        if self.rng.random() >= 0.2:
            return [self._row("transfer", made, location_id=box, to_location_id=shelf,
                              batch_id=_batch_id("box", box))]
        first = self.rng.choice(shelves)
        moved = made + timedelta(days=self.rng.randint(300, YEARS * 300))
        return [self._row("transfer", made, location_id=box, to_location_id=first,
                          batch_id=_batch_id("box", box)),
                self._row("transfer", moved, location_id=box, from_location_id=first,
                          to_location_id=shelf, batch_id=_batch_id("box-move", box))]

    def item(self, item_id: int, box: int, shelf: int, loans: int, census: bool,
             final: str) -> list[dict[str, Any]]:
        """One original's life: in, `loans` times out and back, maybe a census, its end.
        Loans fall at random moments and last one day to a month, never overlapping."""
        rng = self.rng
        first = self.start + (self.now - self.start) * rng.uniform(0, 0.3)
        end = self.now - timedelta(days=30)
        outs = sorted(first + (end - first) * rng.random() for _ in range(loans))
        rows = [self._row("check_in", first, item_id=item_id, to_location_id=box)]
        periods = []
        for index, out_at in enumerate(outs):
            room = (outs[index + 1] if index + 1 < len(outs) else end) - out_at
            back_at = out_at + min(timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8)),
                                   room * 0.8)
            periods.append((out_at, back_at))
        seen_at = self._census_time(first, end, periods) if census else None
        for out_at, back_at in periods:
            if seen_at is not None and seen_at < out_at:
                rows.append(self._census(item_id, box, shelf, seen_at))
                seen_at = None
            out = self._row("check_out", out_at, item_id=item_id, from_location_id=box,
                            to_person_id=rng.choice(self.borrowers),
                            due_on=(out_at + timedelta(days=LOAN_DAYS)).date())
            rows.append(out)
            rows.append(self._row("check_in", back_at, item_id=item_id, to_location_id=box))
            if rng.random() < 0.25:  # asked for through a request, returned since
                self.closed_requests.append(_closed_request(rng, item_id, out, back_at))
        if seen_at is not None:
            rows.append(self._census(item_id, box, shelf, seen_at))
        rows += self._final(item_id, box, final)
        self.last[item_id] = rows[-1]["id"]
        return rows

    def _census_time(self, first: datetime, end: datetime,
                     periods: list[tuple[datetime, datetime]]) -> datetime:
        """A moment the original was in its box: halfway between two loans if need be."""
        moment = first + (end - first) * self.rng.uniform(0.01, 1)
        for index, (out_at, back_at) in enumerate(periods):
            if out_at <= moment <= back_at:
                following = periods[index + 1][0] if index + 1 < len(periods) else end
                return back_at + (following - back_at) / 2
        return moment

    def _census(self, item_id: int, box: int, shelf: int, at: datetime) -> dict[str, Any]:
        return self._row("census_seen", at, item_id=item_id, from_location_id=box,
                         to_location_id=box, batch_id=_batch_id("census", shelf, at.year))

    def _final(self, item_id: int, box: int, final: str) -> list[dict[str, Any]]:
        """In the last four weeks (every earlier movement is older than 30 days)."""
        rng = self.rng
        at = self.now - timedelta(days=rng.uniform(0.1, 28))
        if final == "in":
            return []
        if final in ("out", "overdue"):
            days_ago = rng.randint(15, 28) if final == "overdue" else rng.randint(0, 10)
            at = self.now - timedelta(days=days_ago, hours=rng.randint(1, 8))
            return [self._row("check_out", at, item_id=item_id, from_location_id=box,
                              to_person_id=rng.choice(self.borrowers),
                              due_on=(at + timedelta(days=LOAN_DAYS)).date())]
        if final == "transit":
            return [self._row("transfer", at, item_id=item_id, from_location_id=box)]
        if final == "missing":
            return [self._row("missing", at, item_id=item_id, from_location_id=box,
                              batch_id=_batch_id("census", box, at.year))]
        return [self._row("destroyed", at, item_id=item_id, from_location_id=box,
                          note="Vernietigd na bewaartermijn")]


def _closed_request(rng: random.Random, item_id: int, out: dict[str, Any],
                    returned: datetime) -> dict[str, Any]:
    asked = out["at"] - timedelta(hours=rng.randint(2, 72))
    return {"item_id": item_id, "requester_id": out["to_person_id"],
            "purpose": rng.choice(PURPOSES), "status": "returned", "requested_at": asked,
            "picked_at": out["at"] - timedelta(minutes=rng.randint(5, 90)),
            "picked_by_id": out["actor_id"], "delivered_at": out["at"],
            "due_on": out["due_on"], "checkout_movement_id": out["id"],
            "returned_at": returned, "cancelled_at": None, "cancelled_by_id": None,
            "cancel_reason": ""}


def _finals(rng: random.Random, count: int) -> list[str]:
    """Where each original ends: 94 % in the archive, 4 % out (a fifth of those overdue)."""
    weights = (("in", 94.0), ("out", 3.2), ("overdue", 0.8), ("transit", 0.6),
               ("missing", 0.7), ("destroyed", 0.7))
    return rng.choices([name for name, _w in weights], [w for _n, w in weights], k=count)


def _loans(rng: random.Random, items: int, budget: int) -> list[int]:
    """Loans per item summing to `budget`: a few originals are asked for very often."""
    weights = list(itertools.accumulate(rng.paretovariate(1.6) for _ in range(items)))
    counts = [0] * items
    for index in rng.choices(range(items), cum_weights=weights, k=max(0, budget)):
        counts[index] += 1
    return counts


TABLES: dict[str, Table] = {
    "customer": Customer.__table__, "document": Document.__table__,
    "document_scope": DocumentScope.__table__, "document_customer": document_customer_table,
    "archive_location": Location.__table__, "physical_item": PhysicalItem.__table__,
    "movement": Movement.__table__, "retrieval_request": RetrievalRequest.__table__,
}


def write(name: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows into one table: COPY on PostgreSQL, executemany elsewhere."""
    engine = db.engine
    count = 0
    if engine.dialect.name != "postgresql":
        for chunk in _chunks(rows):
            with engine.begin() as conn:
                conn.execute(insert(TABLES[name]), chunk)
            count += len(chunk)
        return count
    raw = engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        with connection.cursor() as cursor:
            for chunk in _chunks(rows):
                columns = list(chunk[0])
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row([json.dumps(value) if isinstance(value, dict) else value
                                        for value in (row[c] for c in columns)])
                count += len(chunk)
        connection.commit()
    finally:
        raw.close()
    return count


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, BATCH)):
        yield chunk


def _users(clerks: int) -> tuple[list[int], list[str], list[int]]:
    """Clerks who scan (one login per load client) and colleagues who borrow."""
    clerk_names = [f"clerk{number:02d}" for number in range(1, clerks + 1)]
    clerk_ids = [create_user("bench", name, CLERK_PASSWORD, ("clerk",),
                             full_name=f"Archiefmedewerker {number}",
                             check_strength=False).id
                 for number, name in enumerate(clerk_names, start=1)]
    password_hash = db.session.scalars(select(User.password_hash).where(
        User.id == clerk_ids[0])).one()
    roles = ("sales", "care", "loyalty")
    borrowers = []
    for number in range(1, BORROWERS + 1):
        user = User(username=f"colleague{number:02d}", full_name=f"Collega {number}",
                    password_hash=password_hash)
        user.set_roles([roles[number % 3]])
        db.session.add(user)
        borrowers.append(user)
    db.session.flush()
    ids = [user.id for user in borrowers]
    db.session.commit()
    return clerk_ids, clerk_names, ids


def _documents(rng: random.Random, items: int, customers: list[dict[str, Any]],
               now: datetime) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """One paper-only document per original, of a type kept on paper, for a customer."""
    types: dict[str, Any] = {t.code: SimpleNamespace(id=t.id, code=t.code, scopes=list(t.scopes),
                                     name=t.name_nl, retention_months=t.retention_months)
             for t in db.session.scalars(select(DocumentType)) if t.code in TYPE_CODES}
    db.session.commit()
    codes = sorted(types)
    weights = list(itertools.accumulate(rng.paretovariate(1.3) for _ in customers))
    for first in range(1, items + 1, BATCH):
        documents, scopes, owners = [], [], []
        for document_id in range(first, min(items, first + BATCH - 1) + 1):
            document_type = types[rng.choice(codes)]
            day = (now - timedelta(days=rng.randint(40, YEARS * 365))).date()
            created = datetime(day.year, day.month, day.day, rng.randint(8, 17))
            documents.append({
                "id": document_id, "document_type_id": document_type.id,
                "title": f"{document_type.name} {day.year}-{document_id:06d}",
                "document_date": day, "key_points": {}, "notes": "", "paper_original": True,
                "retention_until": retention_until(document_type, day, {}),
                "legal_hold": False, "legal_hold_reason": "", "created_by_id": None,
                "created_at": created, "updated_at": created})
            scopes += [{"document_id": document_id, "scope": scope}
                       for scope in document_type.scopes[:1 + (document_id % 3 == 0)]]
            owner = rng.choices(customers, cum_weights=weights)[0]
            owners.append({"document_id": document_id, "customer_id": owner["id"]})
        yield "document", documents
        yield "document_scope", scopes
        yield "document_customer", owners


def load_archive(items: int, movements: int, clerks: int, seed: int = SEED) -> Plan:
    """Add the archive to the app's (migrated, seeded) database; call in an app context."""
    began = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.utcnow().replace(microsecond=0) - timedelta(hours=1)
    clerk_ids, clerk_names, borrowers = _users(clerks)
    plan = Plan(items=items, clerks=clerk_names, borrower_ids=borrowers)
    customers = make_customers(rng, max(1, items // 5))
    write("customer", customers)
    for name, rows in _documents(rng, items, customers, now):
        write(name, rows)
    sizes: list[int] = []
    while sum(sizes) < items:
        sizes.append(min(rng.randint(*PER_BOX), items - sum(sizes)))
    tree = build_tree(rng, len(sizes), now - timedelta(days=YEARS * 365 + 30))
    write("archive_location", tree.rows)
    plan.locations, plan.boxes = len(tree.rows), len(tree.boxes)
    maker = HistoryMaker(rng, now, clerk_ids, borrowers)
    box_rows = [row for box in tree.boxes
                for row in maker.box_moves(box, tree.box_shelf[box], tree.shelves)]
    plan.box_movements = len(box_rows)
    homes = [box for box, size in zip(tree.boxes, sizes, strict=True) for _ in range(size)]
    finals = _finals(rng, items)
    censused = [rng.random() < 0.6 for _ in range(items)]
    base = sum(1 + int(c) + int(f != "in") for c, f in zip(censused, finals, strict=True))
    budget = movements - len(box_rows) - base - 2 * HISTORY_ITEM_MOVEMENTS // 2
    loans = _loans(rng, items, budget // 2)
    history_item = items // 2 + 1
    loans[history_item - 1] += HISTORY_ITEM_MOVEMENTS // 2
    odd = budget % 2  # one more census, so the total is exact
    if odd:
        spare = censused.index(False) if False in censused else None
        if spare is not None:
            censused[spare] = True
    plan.history_item = history_item
    write("physical_item", ({"id": item_id, "document_id": item_id,
                             "home_location_id": homes[item_id - 1], "last_movement_id": None,
                             "created_by_id": clerk_ids[0], "created_at": maker.start}
                            for item_id in range(1, items + 1)))
    write("movement", itertools.chain(box_rows, _item_movements(
        maker, plan, homes, tree, loans, censused, finals)))
    plan.movements = maker.ids.next - 1
    _set_last_movements(maker.last)
    requests = _open_requests(rng, plan, borrowers, now)
    plan.requests_open = write("retrieval_request", requests)
    plan.requests_closed = write("retrieval_request", maker.closed_requests)
    after_load()
    plan.seconds = time.perf_counter() - began
    return plan


def _item_movements(maker: HistoryMaker, plan: Plan, homes: list[int], tree: _Tree,
                    loans: list[int], censused: list[bool], finals: list[str]
                    ) -> Iterator[dict[str, Any]]:
    for item_id in range(1, plan.items + 1):
        box = homes[item_id - 1]
        final = finals[item_id - 1]
        rows = maker.item(item_id, box, tree.box_shelf[box], loans[item_id - 1],
                          censused[item_id - 1], final)
        if item_id == plan.history_item:
            plan.history_entries = len(rows)
        status = {"overdue": "out"}.get(final, final)
        plan.state[item_id] = (box, status)
        if status == "out":
            plan.out_to[item_id] = rows[-1]["to_person_id"]
        if status == "in":
            plan.box_fill[box] = plan.box_fill.get(box, 0) + 1
        yield from rows


def _set_last_movements(last: dict[int, int]) -> None:
    """Each item points at its latest movement, as `recording.append_for_item` keeps it
    (the items went in first: movements name them)."""
    rows = [{"item": item, "movement": movement} for item, movement in last.items()]
    if db.engine.dialect.name != "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE physical_item SET last_movement_id = :movement "
                              "WHERE id = :item"), rows)
        return
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMPORARY TABLE bench_last (item integer, movement "
                             "integer) ON COMMIT DROP")
        driver: Any = conn.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy("COPY bench_last FROM STDIN") as copy:
            for row in rows:
                copy.write_row((row["item"], row["movement"]))
        conn.exec_driver_sql("UPDATE physical_item SET last_movement_id = bench_last.movement "
                             "FROM bench_last WHERE physical_item.id = bench_last.item")


def _open_requests(rng: random.Random, plan: Plan, borrowers: list[int], now: datetime
                   ) -> list[dict[str, Any]]:
    """500 originals in the archive asked for (the pick list), and a few asked for while
    out, queued behind the loan."""
    wanted = min(500, max(1, plan.items // 40))
    in_archive = [item for item, (_box, status) in plan.state.items()
                  if status == "in" and item != plan.history_item]
    chosen = rng.sample(in_archive, min(wanted, len(in_archive)))
    out = [item for item, (_box, status) in plan.state.items() if status == "out"]
    queued = rng.sample(out, min(len(out), max(1, wanted // 20)))
    rows = []
    for item_id in [*chosen, *queued]:
        requester = rng.choice([b for b in borrowers if b != plan.out_to.get(item_id)])
        rows.append({"item_id": item_id, "requester_id": requester,
                     "purpose": rng.choice(PURPOSES), "status": "requested",
                     "requested_at": now - timedelta(hours=rng.randint(1, 72)),
                     "picked_at": None, "picked_by_id": None, "delivered_at": None,
                     "due_on": None, "checkout_movement_id": None, "returned_at": None,
                     "cancelled_at": None, "cancelled_by_id": None, "cancel_reason": ""})
        plan.requested.add(item_id)
    return rows


def after_load() -> None:
    """Sequences past the loaded ids, and the statistics autovacuum gathers after a load."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("customer", "document", "archive_location", "physical_item", "movement",
                      "retrieval_request"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        conn.exec_driver_sql("VACUUM ANALYZE")


def check_consistency() -> list[str]:
    """What disagrees between the movements and the columns kept from them (none: [])."""
    problems = []
    wrong_last = db.session.scalar(text(
        "SELECT count(*) FROM physical_item p WHERE p.last_movement_id IS DISTINCT FROM ("
        "SELECT m.id FROM movement m WHERE m.item_id = p.id ORDER BY m.at DESC, m.id DESC "
        "LIMIT 1)"))
    if wrong_last:
        problems.append(f"{wrong_last} items whose last_movement_id is not their latest")
    wrong_parent = db.session.scalar(text(
        "SELECT count(*) FROM archive_location l WHERE l.kind = 'box' AND EXISTS ("
        "SELECT 1 FROM movement m WHERE m.location_id = l.id) AND l.parent_id IS DISTINCT "
        "FROM (SELECT m.to_location_id FROM movement m WHERE m.location_id = l.id "
        "ORDER BY m.at DESC, m.id DESC LIMIT 1)"))
    if wrong_parent:
        problems.append(f"{wrong_parent} boxes whose parent is not where they were last moved")
    return problems
