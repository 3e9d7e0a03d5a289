"""factory_boy factories for archive rows, for tests that need rows rather than operations.

Operations (check in, move, ...) are made through the services, which lock, validate and
audit; these factories only make locations and items, never movements.
"""

from __future__ import annotations

import factory

from dossier.archive.models import Location, LocationKind, PhysicalItem
from tests.factories import _Base


class LocationFactory(_Base):
    """LocationFactory(kind="box", parent=shelf, capacity=30)."""

    class Meta:
        model = Location

    kind = LocationKind.SHELF.value
    name = factory.Sequence(lambda n: f"Plank {n}")
    parent = None


class PhysicalItemFactory(_Base):
    class Meta:
        model = PhysicalItem

    document = None
    home_location = None
