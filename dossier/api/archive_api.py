"""The scan station through the API: one scanned code and a mode in, the station's answer
out, through the same state machine as the station page (dossier/archive/scan.py).

The station page keeps its state in the session; here the caller keeps it: each answer
carries the state signed, and the next call sends it back. Signed, so a caller cannot
make up a borrower or destination the station never accepted.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from dossier.api.auth import api_actor
from dossier.api.errors import ApiProblem
from dossier.api.input import json_body, json_response
from dossier.api.schemas import SCAN_INPUT
from dossier.api.spec import Operation, documented
from dossier.api.views import bp
from dossier.archive import scan_session
from dossier.archive.scan import ScanMode, ScanResult, ScanState, scan
from dossier.auth.permissions import Action, Feature, can
from dossier.extensions import db

MAX_INPUT = 200
SALT = "dossier-api-scan-state"


@bp.route("/archive/scans", methods=["POST"])
@documented(Operation("POST", "/archive/scans", _l("Scan a code at the scan station"),
                      "archive", body="ScanInput", ok_schema="ScanResult",
                      description=_l("Archive staff only. Refusals of a code (unknown, wrong "
                                     "check character, wrong step) are answers with level "
                                     "error, not HTTP errors."),
                      example="curl -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: "
                              "application/json' -d '{\"code\": \"P000123X\", \"mode\": "
                              "\"checkin\"}' $BASE/api/v1/archive/scans"))
def archive_scan() -> Response:
    actor = api_actor()
    if not can(actor, Action.EDIT, Feature.ARCHIVE):
        raise ApiProblem(403, _("Only archive staff use the scan station."))
    body = json_body(SCAN_INPUT)
    state = _load_state(body.get("state"), actor)
    result = scan(body["code"][:MAX_INPUT], ScanMode(body["mode"]), state, actor)
    answer = _result_json(result, actor)
    db.session.commit()
    return json_response(answer)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _load_state(signed: str | None, actor: Any) -> ScanState | None:
    if not signed:
        return None
    try:
        payload = _serializer().loads(signed)
    except BadSignature:
        payload = None
    state = ScanState.from_dict(payload.get("state")) if isinstance(payload, dict) else None
    if state is None or payload.get("user") != actor.id:
        raise ApiProblem(400, _("Some fields are not valid."),
                         {"state": _("Send back the state of your previous scan, unchanged.")})
    return state


def _result_json(result: ScanResult, actor: Any) -> dict[str, Any]:
    signed = _serializer().dumps({"user": actor.id, "state": result.state.to_dict()})
    return {"level": result.level.value, "message": result.message, "reason": result.reason,
            "code": result.code, "changed": result.changed, "ignored": result.ignored,
            "item_id": result.item_id, "location_id": result.location_id,
            "station": scan_session.describe(result.state).as_json(), "state": signed}
