"""Create a customer and upload a document through Dossier's JSON API, with an API token.

Standard library only, so it runs wherever Python 3.11 does:

    DOSSIER_URL=http://localhost:8000 DOSSIER_TOKEN=dos_... \\
        python docs/api_example.py letter.pdf

Create the token under "API tokens" in the user menu. The customer gets the next free
number; the document is a piece of correspondence for sales. It prints both as JSON.
"""

from __future__ import annotations

import json
import mimetypes
import os
import secrets
import sys
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status}: {body.get('message')} {body.get('fields') or ''}")
        self.status = status
        self.body = body


def call(base_url: str, token: str, method: str, path: str, body: bytes | None = None,
         content_type: str | None = None) -> Any:
    """One API call; the answer's JSON (or bytes for a file), ApiError for a refusal."""
    url = f"{base_url.rstrip('/')}/api/v1{path}"
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 (http only)
    request.add_header("Authorization", f"Bearer {token}")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            data = response.read()
            if response.headers.get_content_type() == "application/json":
                return json.loads(data)
            return data
    except urllib.error.HTTPError as error:
        raise ApiError(error.code, json.loads(error.read() or b"{}")) from None


def multipart(fields: dict[str, str], file_field: str, path: Path) -> tuple[bytes, str]:
    """A multipart/form-data body with text fields and one file."""
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="{path.name}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                 + path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def create_customer_with_document(base_url: str, token: str, path: Path
                                  ) -> tuple[dict[str, Any], dict[str, Any]]:
    customer = call(base_url, token, "POST", "/customers", json.dumps({
        "kind": "person", "first_name": "Anna", "last_name": "de Vries",
        "street": "Stationsplein", "house_number": 1, "postcode": "3511 CE",
        "city": "Utrecht", "email": "anna.de.vries@example.nl",
    }).encode(), "application/json")
    body, content_type = multipart({
        "title": f"Brief van {customer['display_name']}", "document_type": "correspondence",
        "document_date": date.today().isoformat(), "customers": customer["number"],
        "scopes": "sales", "key_points": json.dumps({"direction": "incoming"}),
    }, "file", path)
    document = call(base_url, token, "POST", "/documents", body, content_type)
    return customer, document


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    base_url = os.environ.get("DOSSIER_URL", "http://localhost:8000")
    token = os.environ["DOSSIER_TOKEN"]
    try:
        customer, document = create_customer_with_document(base_url, token, Path(argv[1]))
    except ApiError as error:
        print(f"Refused: {error}", file=sys.stderr)
        return 1
    print(json.dumps({"customer": customer, "document": document}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
