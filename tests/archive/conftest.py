"""Fixtures for the archive tests: a clerk, a borrower, a small location tree and items."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import Location, LocationKind, PhysicalItem
from dossier.auth.models import User
from dossier.documents.models import Document
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login


@dataclass
class Tree:
    """Archief Utrecht > Kelder > Kast A > Plank 1 (box Doos 1 of 30 on it), Plank 2."""

    site: Location
    room: Location
    cabinet: Location
    shelf: Location
    other_shelf: Location
    box: Location


def build_tree(clerk: User) -> Tree:
    site = create_location(clerk, LocationKind.SITE, "Archief Utrecht")
    room = create_location(clerk, LocationKind.ROOM, "Kelder", site)
    cabinet = create_location(clerk, LocationKind.CABINET, "Kast A", room)
    shelf = create_location(clerk, LocationKind.SHELF, "Plank 1", cabinet)
    other_shelf = create_location(clerk, LocationKind.SHELF, "Plank 2", cabinet)
    box = create_location(clerk, LocationKind.BOX, "Doos 1", shelf, capacity=30)
    return Tree(site, room, cabinet, shelf, other_shelf, box)


@pytest.fixture
def clerk(app: Flask) -> User:
    return UserFactory(roles=("clerk",), full_name="Karin Klerk")


@pytest.fixture
def borrower(app: Flask) -> User:
    return UserFactory(roles=("care",), full_name="Bart Lener")


@pytest.fixture
def tree(clerk: User) -> Tree:
    return build_tree(clerk)


@pytest.fixture
def document(app: Flask) -> Document:
    customer = CustomerFactory()
    return DocumentFactory(type_code="contract", scopes=["care"], customers=[customer])


@pytest.fixture
def item(clerk: User, tree: Tree, document: Document) -> PhysicalItem:
    """The paper original of a care contract, at home on Plank 1, not checked in yet."""
    return create_item(clerk, document=document, home=tree.shelf)


@pytest.fixture
def clerk_client(client: FlaskClient, clerk: User) -> FlaskClient:
    """The test client, signed in as the clerk (the archive screens' tests)."""
    login(client, clerk)
    return client
