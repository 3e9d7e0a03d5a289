"""Reading an uploaded customer file: CSV (UTF-8 or Windows-1252, ; , or tab) or Excel
(.xlsx), as a header row and rows of text cells. Files are hostile until read: size, rows,
columns, cell lengths and an Excel file's unpacked size are limited, and every problem
becomes a message a user can act on."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_CELL = 1000
MAX_UNPACKED_XLSX = 200 * 1024 * 1024  # a zip bomb stops here, before openpyxl reads it
CSV, XLSX = "csv", "xlsx"
_ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*",
                 b"\xd0\xcf\x11\xe0")  # the last: the old .xls format
_DELIMITERS = ";,\t|"


class ImportFileInvalid(ValueError):
    """The file cannot be read as a customer list; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """The header and the data rows as text; `lines` are the rows' numbers in the file
    (the header is line 1 when it is the first row), as a user finds them in Excel."""

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    formulas: dict[int, set[int]] = field(default_factory=dict)  # row index -> columns


def file_format(file_name: str, data: bytes) -> str:
    """CSV or XLSX, from the content first (a renamed file is still what it is)."""
    if not data:
        raise ImportFileInvalid(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC):
        return XLSX
    if data.startswith(_BINARY_MAGIC):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileInvalid(_("This is an old Excel file (.xls). Save it as .xlsx or "
                                      "CSV and upload that."))
        raise ImportFileInvalid(_("This is not a CSV or Excel file."))
    if b"\x00" in data[:65536]:
        raise ImportFileInvalid(_("This is not a CSV file: it holds binary data. Upload a CSV "
                                  "file or an Excel file (.xlsx)."))
    return CSV


def read_table(data: bytes, kind: str) -> Sheet:
    cells = _xlsx_rows(data) if kind == XLSX else _csv_rows(data)
    return _sheet(cells)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252, as Excel writes CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileInvalid(_("The file's characters could not be read: save it as CSV "
                                  "in UTF-8.")) from error


def _csv_rows(data: bytes) -> list[tuple[list[str], set[int]]]:
    text = decode_text(data)
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, _DELIMITERS)
    except csv.Error:
        dialect = csv.excel
        first_line = sample.split("\n", 1)[0]
        if first_line.count(";") > first_line.count(","):
            dialect = _Semicolon
    rows: list[tuple[list[str], set[int]]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append((row, {i for i, cell in enumerate(row) if looks_like_formula(cell)}))
            _check_size(rows)
    except csv.Error as error:
        raise ImportFileInvalid(_("The CSV file is damaged near line %(line)s: %(problem)s",
                                  line=len(rows) + 1, problem=str(error))) from error
    return rows


class _Semicolon(csv.excel):
    delimiter = ";"


def looks_like_formula(cell: str) -> bool:
    """A spreadsheet would run it: "=SUM(A1)", "@cmd", "+A1" ("+31 6 ..." and "-12" are data)."""
    text = cell.lstrip()
    if not text:
        return False
    if text[0] in "=@":
        return True
    return text[0] in "+-" and len(text) > 1 and not (text[1].isdigit() or text[1] in " (.,")


def _xlsx_rows(data: bytes) -> list[tuple[list[str], set[int]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileInvalid(_("This Excel file is damaged.")) from error
    if unpacked > MAX_UNPACKED_XLSX:
        raise ImportFileInvalid(_("This Excel file is too large once unpacked."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileInvalid(_("This is not an Excel workbook (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileInvalid(_("The workbook has no sheets."))
        rows: list[tuple[list[str], set[int]]] = []
        for cells in sheet.iter_rows(max_col=MAX_COLUMNS + 1):
            values = [_cell_text(cell.value) for cell in cells]
            formulas = {i for i, cell in enumerate(cells) if getattr(cell, "data_type", "") == "f"}
            rows.append((values, formulas))
            _check_size(rows)
        return rows
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if value != int(value) else str(int(value))
    return str(value)


def _check_size(rows: list[tuple[list[str], set[int]]]) -> None:
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileInvalid(_("The file has more than %(n)s rows; split it into smaller "
                                  "files.", n=MAX_ROWS))
    if len(rows[-1][0]) > MAX_COLUMNS and any(cell.strip() for cell in rows[-1][0][MAX_COLUMNS:]):
        raise ImportFileInvalid(_("The file has more than %(n)s columns.", n=MAX_COLUMNS))


def _sheet(cells: list[tuple[list[str], set[int]]]) -> Sheet:
    """The first non-empty row is the header; empty rows are skipped, long cells refused."""
    numbered = [(line, row, formulas) for line, (row, formulas) in enumerate(cells, start=1)
                if any(cell.strip() for cell in row)]
    if not numbered:
        raise ImportFileInvalid(_("The file holds no rows."))
    header = numbered[0][1]
    headers = [cell.strip() for cell in header[:MAX_COLUMNS]]
    while headers and not headers[-1]:  # Excel rows come padded with empty cells
        headers.pop()
    if len(numbered) == 1:
        raise ImportFileInvalid(_("The file has a header row but no customers."))
    sheet = Sheet(headers)
    for line, row, formulas in numbered[1:]:
        row = [cell.strip() for cell in row[:len(headers)]]
        row += [""] * (len(headers) - len(row))
        if any(len(cell) > MAX_CELL for cell in row):
            raise ImportFileInvalid(_("Line %(line)s has a cell longer than %(n)s characters.",
                                      line=line, n=MAX_CELL))
        if formulas:
            sheet.formulas[len(sheet.rows)] = {i for i in formulas if i < len(headers)}
        sheet.rows.append(row)
        sheet.lines.append(line)
    return sheet
