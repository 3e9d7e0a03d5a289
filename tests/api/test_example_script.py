"""The example in docs/api_example.py, run as an outside program against a live server:
it creates a customer and uploads a document with a token, and the file comes back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from dossier.api.tokens import issue_token
from dossier.config import PROJECT_ROOT
from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.extensions import db
from tests.conftest import build_app, migrate_and_seed
from tests.factories import UserFactory
from tests.support.databases import fresh_database
from tests.support.live_server import running_gunicorn

pytestmark = pytest.mark.committed
SCRIPT = PROJECT_ROOT / "docs" / "api_example.py"


def test_the_example_script_creates_a_customer_with_a_document(tmp_path: Path) -> None:
    letter = tmp_path / "brief.txt"
    letter.write_text("Geachte heer, mevrouw,\nhierbij mijn nieuwe adres.\n", encoding="utf-8")
    with fresh_database(tmp_path) as database:
        app = build_app(database, tmp_path)
        migrate_and_seed(app)
        with app.app_context():
            _token, token = issue_token(UserFactory(roles=("sales",)), "example", None)
            db.session.commit()
        try:
            with running_gunicorn(database, tmp_path) as url:
                run = subprocess.run(
                    [sys.executable, str(SCRIPT), str(letter)], capture_output=True, text=True,
                    timeout=60, check=False,
                    env={"DOSSIER_URL": url, "DOSSIER_TOKEN": token, "PATH": "/usr/bin:/bin"})
                assert run.returncode == 0, run.stderr
                made = json.loads(run.stdout)
                download = _download(url, token, made["document"]["files"][0]["download_url"])
            assert download == letter.read_bytes()
            with app.app_context():
                customer = db.session.get(Customer, made["customer"]["id"])
                assert customer is not None and customer.last_name == "de Vries"
                document = db.session.scalar(select(Document).where(
                    Document.id == made["document"]["id"]))
                assert document is not None and document.customers == [customer]
                assert document.scopes == ["sales"]
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def _download(base_url: str, token: str, path: str) -> bytes:
    import urllib.request

    request = urllib.request.Request(base_url + path,
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())
