"""The admin pages for derived fields, and derived values on the dossier."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.customers.derived_models import DerivedField
from dossier.extensions import db
from tests.customers.derived_support import complaint, define, open_complaints, order, spent_in
from tests.factories import CustomerFactory, document_type


def form(**changes: Any) -> dict[str, Any]:
    data = {"key": "spent_2025", "label": "Spent in 2025", "function": "sum",
            "source": "documents", "document_type_id": str(document_type("order").id),
            "attribute": "amount", "conditions": "", "period": "year", "period_year": "2025",
            "period_months": "", "scopes": ["loyalty"], "help_text": "", "position": "0",
            "sample": "", "action": "save"}
    return data | changes


def test_admin_defines_a_field_without_code(client: FlaskClient, login_as) -> None:
    login_as("admin")
    page = client.get("/admin/derived-fields/new").get_data(as_text=True)
    assert "Open complaints: Count" in page  # the examples beside the form
    response = client.post("/admin/derived-fields/new", data=form())
    assert response.status_code == 302
    field = db.session.scalar(select(DerivedField).where(DerivedField.key == "spent_2025"))
    assert field is not None and field.period_year == 2025
    listing = client.get("/admin/derived-fields/").get_data(as_text=True)
    assert "Spent in 2025" in listing


def test_the_list_counts_customers_with_a_value(client: FlaskClient, login_as) -> None:
    login_as("admin")
    spent_in(2025)
    for _ in range(2):
        order(CustomerFactory(), "10.00")
    listing = client.get("/admin/derived-fields/").get_data(as_text=True)
    assert '<td class="num">2</td>' in listing


def test_a_bad_definition_is_shown_again_with_its_message(client: FlaskClient,
                                                          login_as) -> None:
    login_as("admin")
    response = client.post("/admin/derived-fields/new",
                           data=form(attribute="colour", period_year="twenty"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Name a key point of the chosen document type" in page
    assert "Not a valid integer value." in page


def test_preview_shows_the_value_for_one_customer(client: FlaskClient, login_as) -> None:
    login_as("admin")
    customer = CustomerFactory(number="424242")
    order(customer, "1234.50")
    response = client.post("/admin/derived-fields/new",
                           data=form(key="", action="preview", sample="424242"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Value for 424242" in page and "1,234.50" in page
    assert db.session.scalar(select(DerivedField.id)) is None  # nothing saved


def test_preview_names_an_unknown_customer(client: FlaskClient, login_as) -> None:
    login_as("admin")
    response = client.post("/admin/derived-fields/new",
                           data=form(action="preview", sample="nobody"))
    assert response.status_code == 422
    assert "Enter the number of an existing customer." in response.get_data(as_text=True)


def test_edit_and_toggle(client: FlaskClient, login_as) -> None:
    login_as("admin")
    field = spent_in(2025)
    page = client.get(f"/admin/derived-fields/{field.id}/edit").get_data(as_text=True)
    assert 'value="amount"' in page
    data = form(label="Spent", period_year="2024")
    del data["key"]
    assert client.post(f"/admin/derived-fields/{field.id}/edit", data=data).status_code == 302
    assert (field.label, field.period_year) == ("Spent", 2024)
    assert client.post(f"/admin/derived-fields/{field.id}/toggle").status_code == 302
    assert field.active is False


def test_only_admins_define_fields(client: FlaskClient, login_as) -> None:
    login_as("loyalty")
    assert client.get("/admin/derived-fields/").status_code == 403
    assert client.post("/admin/derived-fields/new", data=form()).status_code == 403


def test_the_dossier_shows_the_values_its_viewer_may_see(client: FlaskClient,
                                                         login_as) -> None:
    spent = spent_in(2025)  # sales and loyalty
    secret = define("care_only", source="complaints", scopes=["care"],
                    label="Care only count")
    open_complaints()
    customer = CustomerFactory()
    order(customer, "1500.00")
    complaint(customer)
    login_as("loyalty")
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert f'data-derived="{spent.key}"' in page and "1,500.00" in page
    assert 'data-derived="open_complaints">1<' in page
    assert secret.label not in page
