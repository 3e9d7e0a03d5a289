"""Why a file could not be ingested: one exception per reason, each with a stable code."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import has_app_context
from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l


class IngestError(Exception):
    """A file cannot become a document; `reason` is stored, `message` is shown to people.

    `details` fill the placeholders of the message (page numbers, sizes, limits). The
    message is translated when it is read, so it follows the reader's language.
    """

    reason: ClassVar[str] = "failed"
    template: ClassVar[LazyString] = _l("The file could not be processed.")

    def __init__(self, **details: Any) -> None:
        super().__init__(details)
        self.details = details

    @property
    def message(self) -> str:
        return str(self.template) % _Details(self.details)

    def on_page(self, page: int) -> IngestError:
        """The same error, saying which page (1-based) it happened on."""
        return type(self)(**{**self.details, "page": page})

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only details would not survive the default pickling of exceptions.
        return (_rebuild, (type(self), self.details))


class _Details(dict[str, Any]):
    """Details as the message shows them: numbers in the reader's locale, a missing one "?"."""

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and has_app_context():
            return format_decimal(value, format="#,##0.#")
        return value

    def __missing__(self, key: str) -> str:
        return "?"


def _rebuild(kind: type[IngestError], details: dict[str, Any]) -> IngestError:
    return kind(**details)


class EmptyFile(IngestError):
    reason = "empty"
    template = _l("The file is empty (0 bytes).")


class CorruptFile(IngestError):
    reason = "corrupt"
    template = _l("The file is damaged or incomplete and cannot be read.")


class EncryptedFile(IngestError):
    reason = "encrypted"
    template = _l("The PDF is protected with a password. Save it without a password and "
                  "try again.")


class UnsupportedType(IngestError):
    reason = "unsupported_type"
    template = _l("This is not a PDF, TIFF, PNG or JPEG file.")


class TooLarge(IngestError):
    reason = "too_large"
    template = _l("The file is %(size_mb)s MB; the limit is %(limit_mb)s MB.")


class TooManyPages(IngestError):
    reason = "too_many_pages"
    template = _l("The file has %(pages)s pages; the limit is %(limit)s.")


class TooManyPixels(IngestError):
    reason = "too_many_pixels"
    template = _l("Page %(page)s has %(megapixels)s million pixels; the limit is %(limit)s "
                  "million.")


class OcrUnavailable(IngestError):
    reason = "ocr_unavailable"
    template = _l("Text recognition (Tesseract with languages %(languages)s) is not "
                  "installed on the server.")


class OcrFailed(IngestError):
    reason = "ocr_failed"
    template = _l("Text recognition failed on page %(page)s: %(error)s")


class OcrTimeout(IngestError):
    reason = "ocr_timeout"
    template = _l("Text recognition of page %(page)s took longer than %(seconds)s seconds.")


class OcrInterrupted(Exception):
    """Tesseract was stopped by a signal, not by what it read: Ctrl-C reaches the worker's
    whole process group, and the system may kill a process. Not an IngestError, because
    the file is not at fault: the job is left as a killed worker leaves it, and the sweep
    runs it again (and sets it aside once it has used up its attempts)."""
