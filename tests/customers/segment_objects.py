"""The route walk's derived field and sales segment."""

from __future__ import annotations

from dossier.customers.derived_models import DerivedField
from dossier.customers.segment_models import Segment
from dossier.extensions import db


def segment_objects() -> dict[str, int]:
    field = DerivedField(key="walk_orders", label="Walk orders", function="count",
                         source="documents", scopes=["sales"], value_type="number")
    segment = Segment(name="Walk segment", scope="sales", match="all",
                      conditions=[{"field": "key:city", "op": "=", "value": "Amsterdam"}])
    db.session.add_all([field, segment])
    db.session.flush()
    return {"derived_field": field.id, "sales_segment": segment.id}
