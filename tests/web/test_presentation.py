"""Error pages, the CSRF failure page, locale-aware filters and static files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from flask import Flask, session
from flask.testing import FlaskClient
from flask_babel import force_locale

from dossier.web import presentation
from dossier.web.presentation import local_date, money, number
from tests.factories import UserFactory, login

LAYOUT_MARK = '<header class="topbar">'


def test_404_page_uses_the_layout(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert LAYOUT_MARK in html
    assert "Page not found" in html
    assert 'href="/"' in html


def test_403_page_for_a_signed_in_user_keeps_navigation(client: FlaskClient) -> None:
    login(client, UserFactory(roles=["sales"]))
    response = client.get("/admin/users/")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "No access" in html
    assert 'class="mainnav"' in html
    assert 'href="/customers/"' in html


def test_405_page_keeps_the_allow_header(client: FlaskClient) -> None:
    response = client.get("/language")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    html = response.get_data(as_text=True)
    assert LAYOUT_MARK in html
    assert "Not allowed this way" in html


def test_csrf_failure_page(app: Flask, client: FlaskClient,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/login", data={"username": "x", "password": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert LAYOUT_MARK in html
    assert "Your form expired or was sent from elsewhere" in html


def test_500_never_shows_the_exception(client: FlaskClient,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(actor: object) -> None:
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr("dossier.web.views.dashboard_counts", explode)
    login(client, UserFactory(roles=["sales"]))
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert LAYOUT_MARK in html
    assert "hunter2" not in html and "Traceback" not in html and "RuntimeError" not in html


def test_error_page_falls_back_to_bare_html_when_layout_fails(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("template broken")

    monkeypatch.setattr(presentation, "render_template", broken)
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>404</h1>" in html
    assert "template broken" not in html


def test_abort_description_from_a_view_is_shown(app: Flask) -> None:
    from werkzeug.exceptions import Forbidden

    with app.test_request_context("/x"):
        html, status = presentation.error_page(403, presentation._message_for(
            Forbidden("Only the case handler may close this."), 403))
    assert status == 403
    assert "Only the case handler may close this." in html


def test_api_errors_stay_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


@pytest.mark.parametrize(
    ("locale", "amount", "day"),
    [("nl", "€ 1.234,56", "1 mrt 2025"), ("en", "€1,234.56", "Mar 1, 2025")],
)
def test_filters_follow_the_locale(app: Flask, locale: str, amount: str, day: str) -> None:
    with app.test_request_context("/"), force_locale(locale):
        assert money(Decimal("1234.56")).replace("\xa0", " ") == amount
        assert local_date(date(2025, 3, 1)) == day
        assert money(None) == "" and local_date(None) == ""


def test_filters_use_the_locale_chosen_in_the_session(app: Flask) -> None:
    with app.test_request_context("/"):
        session["locale"] = "nl"
        assert money(Decimal("1234.56")).replace("\xa0", " ") == "€ 1.234,56"
        assert number(Decimal("1234.5")) == "1.234,5"


def test_local_date_shows_utc_times_in_amsterdam_time(app: Flask) -> None:
    with app.test_request_context("/"), force_locale("nl"):
        assert local_date(datetime(2025, 7, 1, 12, 0)) == "1 jul 2025, 14:00"
        assert local_date(datetime(2025, 1, 1, 12, 0), "short") == "01-01-2025, 13:00"


def test_filters_render_in_templates(app: Flask) -> None:
    with app.test_request_context("/"), force_locale("nl"):
        rendered = app.jinja_env.from_string("{{ 1234.56 | money }}").render()
    assert rendered.replace("\xa0", " ") == "€ 1.234,56"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/static/css/dossier.css", "text/css"), ("/static/js/dossier.js", "text/javascript")],
)
def test_static_files_are_served(client: FlaskClient, path: str, content_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content_type.startswith(content_type)
    assert len(response.data) > 500
    response.close()
