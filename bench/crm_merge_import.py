"""Duplicate finder over 20,000 customers (target <= 30 s) and an import of 20,000 rows
(dry run + apply, target <= 60 s), on PostgreSQL when DOSSIER_BENCH_DATABASE_URL names a
server (a database is created there and dropped), else on SQLite.

Both run the production code: `duplicates_store.refresh_candidates` (load, block, score,
store) as the "Search for duplicates now" button does, and `imports.upload`, `dry_run`
and `apply` as the import pages do, each committed like a request. The customers are
Dutch people with households at shared addresses, and planted duplicates in three
shapes (a spelling variant at the same address, the same e-mail after a move, the same
phone and birth date); the report says how many of those the finder ranks.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select

from bench.report import BENCHMARKS, write_section
from dossier import create_app
from dossier.auth.models import User
from dossier.auth.services import create_user
from dossier.customers import duplicates_store, imports
from dossier.customers.models import Customer, CustomField
from dossier.demo.addresses import random_address
from dossier.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from dossier.documents.seed import seed_reference_data
from dossier.extensions import db
from tests.support.databases import fresh_database

PG_ENV = "DOSSIER_BENCH_DATABASE_URL"
FINDER_TARGET_S, IMPORT_TARGET_S = 30.0, 60.0
SEED = 20261125
SPELLING = {"Jansen": "Janssen", "Bakker": "Backer", "Meijer": "Meyer", "Smit": "Smits",
            "de Vries": "de Vriess", "Visser": "Vissers", "de Jong": "de Jongh"}
FIRST_NAMES = MALE_FIRST_NAMES + FEMALE_FIRST_NAMES


@dataclass
class Result:
    database: str = ""
    customers: int = 0
    planted: int = 0
    found_planted: int = 0
    candidates: int = 0
    finder_s: float = 0.0
    rows: int = 0
    upload_s: float = 0.0
    dry_run_s: float = 0.0
    apply_s: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def import_s(self) -> float:
        return self.dry_run_s + self.apply_s


def _build_app(url: str, data_dir: Path) -> Flask:
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32),
        "DATA_DIR": str(data_dir), "FILE_STORE": str(data_dir / "files"),
        "INBOX": str(data_dir / "inbox"), "QUEUE_URL": "memory://",
        "RATELIMIT_STORAGE_URI": "memory://", "BABEL_DEFAULT_LOCALE": "en",
        "IMPORT_MAX_BYTES": 50 * 1024 * 1024,
    })
    with app.app_context():
        upgrade()
        seed_reference_data()
        create_user("bench", "bench", "bench-Password-2025", ("admin",), check_strength=False)
        db.session.add(CustomField(key="tier", label="Klantniveau", field_type="choice",
                                   choices=["brons", "zilver", "goud"], scopes=["loyalty"]))
        db.session.commit()
    return app


def _person(rng: random.Random, number: int) -> dict[str, Any]:
    infix, last = rng.choice(LAST_NAMES)
    first = rng.choice(FIRST_NAMES)
    address = random_address(rng)
    return {
        "number": str(number), "kind": "person", "first_name": first, "initials": f"{first[0]}.",
        "infix": infix, "last_name": last, "street": address.street,
        "house_number": address.house_number,
        "house_number_addition": address.house_number_addition, "postcode": address.postcode,
        "city": address.city, "country": "NL",
        "email": f"{first}.{infix}{last}.{number}@example.nl".replace(" ", "").lower(),
        "phone": f"06-{rng.randint(10_000_000, 99_999_999)}",
        "date_of_birth": date(1940, 1, 1) + timedelta(days=rng.randint(0, 60 * 365)),
        "preferred_channel": "email", "status": "active",
        "sort_name": f"{last} {first}".lower(),
    }


def _twin(rng: random.Random, original: dict[str, Any], number: int, shape: int) -> dict[str, Any]:
    """A second record of the same person, in one of three shapes."""
    twin = dict(original, number=str(number))
    twin["email"] = f"dup{number}@example.com"
    twin["phone"] = f"06-{rng.randint(10_000_000, 99_999_999)}"
    if shape == 0:  # a spelling variant at the same address, initials only
        full = f"{original['infix']} {original['last_name']}".strip()
        twin["last_name"] = SPELLING.get(full, original["last_name"] + "s").split(" ")[-1]
        twin["first_name"] = ""
        twin["date_of_birth"] = None
    elif shape == 1:  # moved house, kept the e-mail address
        moved = random_address(rng)
        twin.update(street=moved.street, house_number=moved.house_number,
                    postcode=moved.postcode, city=moved.city, email=original["email"])
    else:  # elsewhere, same phone written the international way, same birth date
        moved = random_address(rng)
        twin.update(street=moved.street, house_number=moved.house_number,
                    postcode=moved.postcode, city=moved.city,
                    phone="+31 " + original["phone"].replace("06-", "6 "))
    return twin


def make_customers(rng: random.Random, count: int, planted_share: float = 0.02
                   ) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """People, a tenth of them in couples at one address, and planted duplicates."""
    rows: list[dict[str, Any]] = []
    planted: list[tuple[str, str]] = []
    number = 100001
    while len(rows) < count:
        person = _person(rng, number)
        rows.append(person)
        number += 1
        if rng.random() < 0.1 and len(rows) < count:  # a partner at the same address
            partner = _person(rng, number)
            partner.update({key: person[key] for key in (
                "street", "house_number", "house_number_addition", "postcode", "city")})
            rows.append(partner)
            number += 1
        if rng.random() < planted_share and len(rows) < count:
            rows.append(_twin(rng, person, number, len(planted) % 3))
            planted.append((person["number"], str(number)))
            number += 1
    return rows, planted


def import_file(rng: random.Random, existing: list[dict[str, Any]], rows: int) -> bytes:
    """A semicolon CSV as Excel writes it: half updates of existing customers (by number),
    half new customers, with a custom field column."""
    lines = ["Klantnummer;Voornaam;Tussenvoegsel;Achternaam;Straat;Huisnummer;Postcode;"
             "Plaats;E-mailadres;Telefoon;Geboortedatum;Klantniveau"]
    updates = rng.sample(existing, min(rows // 2, len(existing)))
    for person in updates:
        moved = random_address(rng)
        born = person["date_of_birth"].strftime("%d-%m-%Y") if person["date_of_birth"] else ""
        lines.append(";".join([
            person["number"], person["first_name"], person["infix"], person["last_name"],
            moved.street, str(moved.house_number), moved.postcode, moved.city,
            person["email"], person["phone"], born, rng.choice(["brons", "zilver", "goud"])]))
    for index in range(rows - len(updates)):
        new = _person(rng, 800_000 + index)
        lines.append(";".join([
            new["number"], new["first_name"], new["infix"], new["last_name"], new["street"],
            str(new["house_number"]), new["postcode"], new["city"], new["email"], new["phone"],
            new["date_of_birth"].strftime("%d-%m-%Y"), rng.choice(["brons", "zilver", "goud"])]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _admin() -> User:
    found = db.session.scalar(select(User).where(User.username == "bench"))
    assert found is not None
    return found


def _timed(step: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    value = step()
    return value, time.perf_counter() - started


def run(url: str, data_dir: Path, customers: int, rows: int) -> Result:
    rng = random.Random(SEED)
    app = _build_app(url, data_dir)
    result = Result(customers=customers, rows=rows)
    people, planted = make_customers(rng, customers)
    with app.app_context():
        for start in range(0, len(people), 2000):
            db.session.execute(insert(Customer), people[start:start + 2000])
        db.session.commit()
        result.database = _server_version()
        _analyze()
        result.planted = len(planted)
        refreshed, result.finder_s = _timed(lambda: _commit(
            duplicates_store.refresh_candidates(_admin())))
        result.candidates = refreshed.candidates
        result.found_planted = _found(planted)
        data = import_file(rng, people, rows)
        upload, result.upload_s = _timed(lambda: _commit(
            imports.upload(_admin(), "klanten.csv", data)))
        plan, result.dry_run_s = _timed(lambda: imports.dry_run(_admin(), upload))
        db.session.commit()
        result.counts = plan.counts
        _, result.apply_s = _timed(lambda: _commit(
            imports.apply(_admin(), upload, plan.counts)))
        db.engine.dispose()
    return result


def _commit(value: Any) -> Any:
    db.session.commit()
    return value


def _found(planted: list[tuple[str, str]]) -> int:
    ids: dict[str, int] = {}
    for number, customer_id in db.session.execute(select(Customer.number, Customer.id)):
        ids[number] = customer_id
    pairs = {tuple(sorted((ids[one], ids[other]))) for one, other in planted}
    stored = {(c.first_id, c.second_id) for c in db.session.scalars(
        duplicates_store.candidate_list(0))}
    return len(pairs & stored)


def _analyze() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def _server_version() -> str:
    dialect = db.session.connection().dialect
    version = ".".join(str(part) for part in dialect.server_version_info or ())
    return f"{dialect.name} {version}".strip()


def _machine() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"`{platform.machine()}`, {os.cpu_count()} cores, host `{platform.node()}`, "
            f"Python {platform.python_version()}, load average {load} at the end")


def markdown(result: Result, command: str) -> str:
    def met(seconds: float, target: float) -> str:
        return "met" if seconds <= target else "**not met**"

    counts = result.counts
    return "\n".join([
        f"**{result.database}**, {date.today().isoformat()}, {_machine()}.",
        "",
        f"Command: `{command}`.",
        "",
        "| Measure | Result | Target | |",
        "|---|---|---|---|",
        f"| Duplicate finder, {result.customers:,} customers (load, block, score, store) "
        f"| {result.finder_s:.1f} s | <= {FINDER_TARGET_S:.0f} s "
        f"| {met(result.finder_s, FINDER_TARGET_S)} |",
        f"| Candidates stored (likelihood >= 50) | {result.candidates:,} | | |",
        f"| Planted duplicates ranked | {result.found_planted} of {result.planted} | | |",
        f"| Import of {result.rows:,} rows: dry run + apply | {result.import_s:.1f} s "
        f"| <= {IMPORT_TARGET_S:.0f} s | {met(result.import_s, IMPORT_TARGET_S)} |",
        f"| of which dry run | {result.dry_run_s:.1f} s | | |",
        f"| of which apply (one transaction, committed) | {result.apply_s:.1f} s | | |",
        f"| Upload (read, check, keep the file) | {result.upload_s:.1f} s | | |",
        f"| Rows created / updated / unchanged / rejected | {counts.get('create', 0):,} / "
        f"{counts.get('update', 0):,} / {counts.get('unchanged', 0):,} / "
        f"{counts.get('reject', 0):,} | | |",
    ])


@contextmanager
def _database(data_dir: Path, server: str | None, sqlite: bool) -> Iterator[str]:
    """The server's database, a SQLite file when asked, else what the tests use."""
    if sqlite and not server:
        yield f"sqlite:///{data_dir / 'bench.db'}"
        return
    with fresh_database(data_dir, server_url=server, prefix="dossier_bench") as url:
        yield url


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when a server is set")
    parser.add_argument("--report", type=Path, default=BENCHMARKS)
    parser.add_argument("--no-write", action="store_true", help="leave the report alone")
    args = parser.parse_args(argv)
    server = None if args.sqlite else os.environ.get(PG_ENV)
    with tempfile.TemporaryDirectory() as tmp, _database(Path(tmp), server, args.sqlite) as url:
        result = run(url, Path(tmp), args.customers, args.rows)
    prefix = f"{PG_ENV}=postgresql://... " if server else ""
    command = (f"{prefix}python -m bench.crm_merge_import --customers {args.customers} "
               f"--rows {args.rows}" + (" --sqlite" if args.sqlite else ""))
    text = markdown(result, command)
    print(text)
    if not args.no_write:
        key = "postgresql" if result.database.startswith("postgresql") else "sqlite"
        write_section(f"crm-merge-import:{key}:{args.customers}", text, args.report)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
