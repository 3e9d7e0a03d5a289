"""Reading a portable scanner's file: lines of `timestamp,code`, checked one by one.

The whole file is refused only when it is no text file at all (binary, an unknown
encoding, too large, too many lines, no scans in it); otherwise every line is read on its
own, and a bad line gets its line number and the reason. Times are ISO 8601
(`2026-11-25T14:03:07`, a space instead of the T, an offset or Z allowed) or Unix
seconds; a time without offset is the scanner's wall clock in the user's time zone.
A comma, semicolon or tab separates the two fields; blank lines, `#` comments and a
header line (`timestamp,code`) are skipped.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import gettext as _

from dossier import barcodes
from dossier.archive.errors import ArchiveError

MAX_LINE = 200
CLOCK_AHEAD = timedelta(minutes=10)  # a scanner's clock may run a little fast
_SEPARATOR = re.compile(r"[,;\t]")
_HEADER_CODES = {"code", "barcode", "scan"}


class FileRefused(ArchiveError):
    reason = "file_refused"


@dataclass(frozen=True)
class ScannerLine:
    number: int  # 1-based line in the file
    text: str  # the line as read (shortened), for the report
    scanned_at: datetime | None = None  # naive UTC
    value: barcodes.BarcodeValue | None = None
    problem: str = ""  # why the line cannot be applied

    @property
    def code(self) -> str:
        return self.value.code if self.value is not None else ""


def decode(data: bytes, *, max_bytes: int, max_lines: int) -> list[str]:
    """The file's lines, or FileRefused saying what is wrong with the file as a whole."""
    if len(data) > max_bytes:
        raise FileRefused(_("The file is larger than %(num)s KB; split it in parts.",
                            num=max_bytes // 1024))
    text = _text(data)
    lines = text.splitlines()
    if len(lines) > max_lines:
        raise FileRefused(_("The file has %(num)s lines; at most %(max)s are read at once.",
                            num=len(lines), max=max_lines))
    if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
        raise FileRefused(_("The file holds no scans."))
    return lines


def _text(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise FileRefused(_("This is not a text file: it holds binary data. Upload the "
                            "scanner's export (lines of time,code)."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused(_("The file is not UTF-8 text. Export it from the scanner as "
                            "UTF-8 (or plain ASCII).")) from None


def read_lines(lines: list[str], now: datetime) -> list[ScannerLine]:
    """Every line that holds a scan, each parsed or with its problem; `now` in UTC."""
    read: list[ScannerLine] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parsed = parse_line(number, line, now)
        if parsed is not None:
            read.append(parsed)
    return read


def parse_line(number: int, line: str, now: datetime) -> ScannerLine | None:
    """One line; None for a header line."""
    shown = line[:80]
    if len(line) > MAX_LINE:
        return ScannerLine(number, shown, problem=_("The line is too long."))
    fields = [field.strip().strip('"') for field in _SEPARATOR.split(line)]
    if len(fields) != 2:
        return ScannerLine(number, shown, problem=_(
            "Expected a time and a code separated by a comma."))
    moment, code = fields
    if code.lower() in _HEADER_CODES:
        return None
    scanned_at = parse_time(moment)
    if scanned_at is None:
        return ScannerLine(number, shown, problem=_(
            "“%(time)s” is not a time the scanner writes (like 2026-11-25T14:03:07).",
            time=moment[:40]))
    if scanned_at > now + CLOCK_AHEAD:
        return ScannerLine(number, shown, scanned_at, problem=_(
            "The time lies in the future: check the scanner's clock."))
    try:
        value = barcodes.parse(code)
    except barcodes.WrongCheckCharacter:
        return ScannerLine(number, shown, scanned_at, problem=_(
            "Check digit wrong: the code was misread."))
    except barcodes.BarcodeError as error:
        return ScannerLine(number, shown, scanned_at, problem=str(error))
    return ScannerLine(number, shown, scanned_at, value)


def parse_time(text: str) -> datetime | None:
    """Naive UTC, or None when `text` is no time."""
    if text.isdigit() and 9 <= len(text) <= 10:
        return datetime.fromtimestamp(int(text), UTC).replace(tzinfo=None)
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:  # the user's zone, as zoneinfo (a pytz zone needs localize)
        moment = moment.replace(tzinfo=ZoneInfo(str(get_timezone())))
    return moment.astimezone(UTC).replace(tzinfo=None)
