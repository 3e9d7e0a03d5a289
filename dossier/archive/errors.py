"""Why an archive operation was refused: one exception per reason, each with a stable code.

Every refusal happens before anything is written, so a refused operation changes
nothing. `str(error)` is the message for the clerk, translated when the error is made.
"""

from __future__ import annotations

from typing import ClassVar


class ArchiveError(Exception):
    reason: ClassVar[str] = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAllowed(ArchiveError):
    reason = "not_allowed"


class UnknownBarcode(ArchiveError):
    """Well formed, with a good check character, but naming nothing in the archive."""

    reason = "unknown_barcode"


class WrongCheckCharacter(ArchiveError):
    reason = "wrong_check_character"


class UnreadableCode(ArchiveError):
    """Not a Dossier code at all, or one the archive does not handle (a cover sheet)."""

    reason = "unreadable_code"


class InvalidLocation(ArchiveError):
    """A location that does not fit where it was put (kind, tree, inactive)."""

    reason = "invalid_location"


class LocationFull(ArchiveError):
    reason = "location_full"


class ItemDestroyed(ArchiveError):
    reason = "item_destroyed"


class CheckedOutToSomeoneElse(ArchiveError):
    reason = "checked_out_elsewhere"


class LegalHold(ArchiveError):
    reason = "legal_hold"


class InvalidDueDate(ArchiveError):
    reason = "invalid_due_date"


class ItemExists(ArchiveError):
    """The document already has its paper original."""

    reason = "item_exists"


class NoBorrower(ArchiveError):
    reason = "no_borrower"


class NoDestination(ArchiveError):
    reason = "no_destination"


class WrongStep(ArchiveError):
    """A code that makes no sense in this mode or at this step (a badge while moving)."""

    reason = "wrong_step"
