from dossier.auth.models import User
from dossier.extensions import db


def test_rollback_isolation_first(app):
    db.session.add(User(username="ghost", password_hash="x"))
    db.session.commit()
    assert db.session.query(User).filter_by(username="ghost").count() == 1


def test_rollback_isolation_second(app):
    assert db.session.query(User).filter_by(username="ghost").count() == 0


def test_login_page(client):
    assert client.get("/login").status_code == 200
    assert client.get("/").status_code == 302
