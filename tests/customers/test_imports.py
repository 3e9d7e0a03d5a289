"""Customer import: reading hostile files, guessing the mapping, the dry run per row, and an
apply that writes all rows or none."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.customers import imports
from dossier.customers.custom_values import stored_values
from dossier.customers.imports_mapping import guess_mapping
from dossier.customers.imports_reading import (
    CSV,
    XLSX,
    ImportFileInvalid,
    file_format,
    looks_like_formula,
    read_table,
)
from dossier.customers.merge_models import CustomerImport, ImportStatus
from dossier.customers.models import Customer
from dossier.extensions import db
from dossier.search.outbox import SearchOutbox
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory, UserFactory

HEADER = "Klantnummer;Voornaam;Tussenvoegsel;Achternaam;Postcode;Huisnummer;Plaats;E-mailadres"


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\n".join([HEADER, *lines]).encode(encoding)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def admin(app: Flask) -> User:
    return UserFactory(roles=("admin",))


def _dry_run(admin: User, data: bytes, name: str = "klanten.csv") -> tuple[CustomerImport, dict]:
    upload = imports.upload(admin, name, data)
    plan = imports.dry_run(admin, upload)
    return upload, plan.counts


class TestReading:
    def test_csv_in_utf8_with_bom_and_in_windows_1252(self) -> None:
        for data in (b"\xef\xbb\xbf" + _csv("1;Zoë;;Müller;1234 AB;1;Zeist;z@example.nl"),
                     _csv("1;Zoë;;Müller;1234 AB;1;Zeist;z@example.nl", encoding="cp1252")):
            sheet = read_table(data, CSV)
            assert sheet.headers[0] == "Klantnummer"
            assert sheet.rows[0][1:4] == ["Zoë", "", "Müller"]
            assert sheet.lines == [2]

    def test_comma_separated_with_quotes(self) -> None:
        sheet = read_table(b'number,last name\n1,"Jansen, van"\n', CSV)
        assert sheet.rows == [["1", "Jansen, van"]]

    @pytest.mark.parametrize(("data", "message"), [
        (b"", "empty"),
        (b"%PDF-1.7 ...", "not a CSV or Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel"),
        (b"abc\x00def", "binary"),
    ])
    def test_files_that_are_no_customer_list(self, data: bytes, message: str) -> None:
        with pytest.raises(ImportFileInvalid, match=message):
            file_format("x.csv", data)

    def test_empty_and_header_only_files(self) -> None:
        with pytest.raises(ImportFileInvalid, match="no rows"):
            read_table(b"\n\n;;\n", CSV)
        with pytest.raises(ImportFileInvalid, match="no customers"):
            read_table(HEADER.encode(), CSV)

    def test_unreadable_characters(self) -> None:
        with pytest.raises(ImportFileInvalid, match="characters"):
            read_table(b"naam\n\x81\x8d\x8f\x90\x9d", CSV)

    def test_too_many_rows(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from dossier.customers import imports_reading

        monkeypatch.setattr(imports_reading, "MAX_ROWS", 3)
        with pytest.raises(ImportFileInvalid, match="more than 3 rows"):
            read_table(_csv(*["1;a;;b;;;;"] * 5), CSV)

    def test_formulas_are_recognised(self) -> None:
        assert looks_like_formula("=HYPERLINK(\"http://x\")")
        assert looks_like_formula("@SUM(A1)")
        assert looks_like_formula("+A1")
        assert not looks_like_formula("+31 6 1234 5678")
        assert not looks_like_formula("-12,50")
        assert not looks_like_formula("Jansen")

    def test_xlsx_values_dates_and_formulas(self) -> None:
        data = xlsx([["Klantnummer", "Achternaam", "Geboortedatum", "Huisnummer"],
                     [100, "Jansen", date(1970, 5, 4), 12],
                     ["=1+1", "Smit", None, 3.0]])
        assert file_format("klanten.xlsx", data) == XLSX
        sheet = read_table(data, XLSX)
        assert sheet.rows[0] == ["100", "Jansen", "1970-05-04", "12"]
        assert sheet.formulas == {1: {0}}

    def test_damaged_xlsx_and_zip_bomb(self, monkeypatch: pytest.MonkeyPatch) -> None:
        with pytest.raises(ImportFileInvalid, match="damaged"):
            read_table(b"PK\x03\x04 not really a zip", XLSX)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/big.xml", b"0" * 2_000_000)
        from dossier.customers import imports_reading

        monkeypatch.setattr(imports_reading, "MAX_UNPACKED_XLSX", 1_000_000)
        with pytest.raises(ImportFileInvalid, match="too large once unpacked"):
            read_table(out.getvalue(), XLSX)
        with pytest.raises(ImportFileInvalid, match="not an Excel workbook"):
            read_table(xlsx_less_zip(), XLSX)


def xlsx_less_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", b"hi")
    return out.getvalue()


def test_mapping_is_guessed_from_dutch_and_english_headers(app: Flask) -> None:
    member = CustomFieldFactory(key="member_since", label="Lid sinds")
    headers = ["Klantnr", "First name", "Achternaam", "E-mail", "Telefoon", "Lid sinds",
               "Mystery", "Postal code", "Woonplaats", "naam"]
    mapping = guess_mapping(headers, [member])
    assert mapping == {"0": "number", "1": "first_name", "2": "last_name", "3": "email",
                       "4": "phone", "5": "custom_fields.member_since", "7": "postcode",
                       "8": "city"}


def test_dry_run_says_per_row_what_happens(app: Flask, admin: User) -> None:
    existing = CustomerFactory(number="500001", first_name="Piet", last_name="Oud",
                               house_number=1, city="Zeist", email="oud@example.nl")
    by_email = CustomerFactory(number="500002", last_name="Mail", email="mail@example.nl")
    _upload, counts = _dry_run(admin, _csv(
        "500001;Piet;;Oud;1234 AB;1;Zeist;oud@example.nl",  # same values: unchanged
        ";Els;;Mail;1234 AB;2;Zeist;mail@example.nl",  # matched by e-mail: update
        "600001;Nieuw;van;Klant;1234 AB;3;Zeist;nieuw@example.nl",  # create
        ";Zonder;;Nummer;;;;",  # create with a new number
        "600001;Dubbel;;Nummer;;;;",  # number twice in the file
        "600003;Fout;;Postcode;9999;4;Zeist;",  # bad postcode
        "600004;;;;;;;",  # a person needs a last name
    ))
    assert counts == {"create": 2, "update": 1, "unchanged": 1, "reject": 3}
    plan = imports.dry_run(admin, _upload)
    outcome = {row.line: row for row in plan.rows}
    assert outcome[2].customer_id == existing.id
    assert outcome[3].customer_id == by_email.id and outcome[3].changed
    assert "also on line 4" in outcome[6].reasons[0]
    assert outcome[7].reasons[0].startswith("Postcode:")
    assert outcome[8].reasons[0].startswith("Last name:")
    assert outcome[5].number.isdigit()
    assert db.session.scalar(select(func.count(Customer.id)).where(
        Customer.number == "600001")) == 0  # a dry run writes nothing


def test_apply_writes_all_rows_with_audit_and_search_rows(app: Flask, admin: User) -> None:
    tier = CustomFieldFactory(key="tier", field_type="choice", choices=["gold", "silver"])
    vip = CustomFieldFactory(key="vip", field_type="boolean")
    spent = CustomFieldFactory(key="spent", field_type="money")
    existing = CustomerFactory(number="700001", last_name="Bestaand", city="Utrecht")
    data = xlsx([["Klantnummer", "Achternaam", "Plaats", "tier", "vip", "spent", "Soort"],
                 ["700001", "Bestaand", "Zeist", "gold", "ja", "1.234,50", "persoon"],
                 ["700002", "Nieuw", "Ede", "silver", "nee", "", "particulier"]])
    upload = imports.upload(admin, "klanten.xlsx", data)
    plan = imports.dry_run(admin, upload)
    assert plan.counts == {"create": 1, "update": 1, "unchanged": 0, "reject": 0}
    imports.apply(admin, upload, plan.counts)
    db.session.expire_all()
    updated = db.session.get(Customer, existing.id)
    assert updated is not None and updated.city == "Zeist"
    created = db.session.scalar(select(Customer).where(Customer.number == "700002"))
    assert created is not None and created.last_name == "Nieuw" and created.kind == "person"
    values = {row.field.key: row.value for row in stored_values(updated).values()}
    assert values == {"tier": "gold", "vip": True, "spent": Decimal("1234.50")}
    assert {row.field.key for row in stored_values(created).values()} == {"tier", "vip"}
    assert upload.status == ImportStatus.APPLIED.value and upload.content is None
    actions = {(e.action, e.customer_id) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.customer_id.in_([existing.id, created.id])))}
    assert {("update", existing.id), ("create", created.id)} <= actions
    queued = set(db.session.scalars(select(SearchOutbox.object_id).where(
        SearchOutbox.kind == "customer")))
    assert {existing.id, created.id} <= queued
    del tier, vip, spent


def test_rejected_rows_stop_the_apply_unless_left_out(app: Flask, admin: User) -> None:
    upload, counts = _dry_run(admin, _csv("800001;A;;Goed;;;;", "800002;B;;;;;;"))
    with pytest.raises(imports.ImportRefused, match="rejected"):
        imports.apply(admin, upload, counts)
    assert db.session.scalar(select(Customer).where(Customer.number == "800001")) is None
    imports.apply(admin, upload, counts, skip_rejected=True)
    assert db.session.scalar(select(Customer).where(Customer.number == "800001")) is not None
    assert db.session.scalar(select(Customer).where(Customer.number == "800002")) is None


def test_apply_refuses_when_the_data_changed_since_the_dry_run(app: Flask, admin: User) -> None:
    upload, counts = _dry_run(admin, _csv("810001;A;;Nieuw;;;;"))
    CustomerFactory(number="810001", last_name="Iemand")  # created meanwhile
    with pytest.raises(imports.ImportRefused, match="changed since the dry run"):
        imports.apply(admin, upload, counts)


def test_formula_cells_reject_their_row(app: Flask, admin: User) -> None:
    _upload, counts = _dry_run(admin, _csv('820001;=HYPERLINK("x");;Jansen;;;;'))
    assert counts["reject"] == 1


def test_only_admins_import_and_files_are_limited(app: Flask, admin: User) -> None:
    with pytest.raises(imports.ImportRefused):
        imports.upload(UserFactory(roles=("sales",)), "x.csv", _csv("1;a;;b;;;;"))
    app.config["IMPORT_MAX_BYTES"] = 10
    try:
        with pytest.raises(ImportFileInvalid, match="larger than"):
            imports.upload(admin, "x.csv", _csv("1;a;;b;;;;"))
    finally:
        del app.config["IMPORT_MAX_BYTES"]


def test_discard_and_stale_uploads_forget_the_file(app: Flask, admin: User) -> None:
    upload = imports.upload(admin, "x.csv", _csv("1;a;;b;;;;"))
    imports.discard(admin, upload)
    assert upload.content is None and upload.status == ImportStatus.DISCARDED.value
    with pytest.raises(imports.ImportRefused, match="finished"):
        imports.dry_run(admin, upload)
    stale = imports.upload(admin, "y.csv", _csv("1;a;;b;;;;"))
    from datetime import timedelta

    from dossier.auth.models import utcnow

    assert imports.forget_stale_uploads(utcnow() + timedelta(days=2)) >= 1
    db.session.refresh(stale)
    assert stale.content is None
