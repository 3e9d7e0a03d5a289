"""What the contact-history services refuse, in messages safe to show to the user."""

from __future__ import annotations

from collections.abc import Mapping


class ContactInvalid(ValueError):
    """The data was refused; `errors` maps field names to messages safe to show."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


class InteractionInvalid(ContactInvalid):
    """An interaction's data was refused."""


class ComplaintInvalid(ContactInvalid):
    """A complaint's data (or a status change) was refused."""


class ContactRefused(PermissionError):
    """The actor may not do this to this interaction or complaint; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
