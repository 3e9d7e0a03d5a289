"""Helpers for the archive screens' tests: signed-in clients, scans through the web layer,
and reading the barcodes of a rendered label PDF."""

from __future__ import annotations

from typing import Any

import pypdfium2
import zxingcpp
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.test import TestResponse

from dossier.archive.queries import PATH_SEPARATOR
from dossier.auth.models import User
from tests.factories import UserFactory, login

JSON = {"Accept": "application/json"}


def path(*names: str) -> str:
    """A place's path as the screens write it, names joined by the path separator."""
    return PATH_SEPARATOR.join(names)


def signed_in(client: FlaskClient, *roles: str, **fields: Any) -> User:
    user = UserFactory(roles=roles, **fields)
    login(client, user)
    return user


def scan(client: FlaskClient, code: str) -> dict[str, Any]:
    """One scan as the page's script sends it: the JSON answer."""
    response = client.post("/archive/scan", data={"code": code}, headers=JSON)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    answer: dict[str, Any] = response.get_json()
    return answer


def switch(client: FlaskClient, mode: str) -> TestResponse:
    response = client.post("/archive/scan/mode", data={"mode": mode})
    assert response.status_code == 303
    return response


def page_images(pdf: bytes, dpi: int = 300) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for page in document]
    finally:
        document.close()


def codes_in(pdf: bytes) -> list[str]:
    """Every Code128 zxing-cpp reads on the rendered pages, page by page, top to bottom."""
    found: list[str] = []
    for image in page_images(pdf):
        read = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
        found.extend(barcode.text for barcode in sorted(
            read, key=lambda b: (round(b.position.top_left.y / 50), b.position.top_left.x)))
    return found
