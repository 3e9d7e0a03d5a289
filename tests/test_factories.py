from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login


def test_factories_and_login(app, client):
    user = UserFactory(roles=("care",))
    customer = CustomerFactory()
    document = DocumentFactory(type_code="contract", scopes=["care", "sales"],
                               customers=[customer])
    assert user.roles == {"care"}
    assert document.scopes == ["care", "sales"]
    assert document.customers == [customer]
    login(client, user)
    assert client.get("/").status_code == 200
