"""Pick the search backend from the configuration and keep one instance per app.

Each backend module (`whoosh`, `postgres`) defines `create(app: Flask) -> Backend`; it is
imported only when chosen, so Whoosh is never loaded for PostgreSQL and vice versa.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from dossier.search.backends.base import Backend

BACKENDS = ("whoosh", "postgres")
_EXTENSION_KEY = "dossier.search.backend"


class BackendConfigError(ValueError):
    """DOSSIER_SEARCH_BACKEND names something this installation cannot use."""


def database_is_postgres(app: Flask) -> bool:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql"


def backend_name(app: Flask | None = None) -> str:
    """"whoosh" or "postgres" from SEARCH_BACKEND (auto: postgres on PostgreSQL)."""
    app = app or current_app
    wanted = str(app.config.get("SEARCH_BACKEND") or "auto").lower()
    if wanted == "auto":
        return "postgres" if database_is_postgres(app) else "whoosh"
    if wanted not in BACKENDS:
        raise BackendConfigError(f"DOSSIER_SEARCH_BACKEND={wanted!r}: use auto, whoosh or postgres")
    if wanted == "postgres" and not database_is_postgres(app):
        raise BackendConfigError("DOSSIER_SEARCH_BACKEND=postgres needs a PostgreSQL database")
    return wanted


def index_directory(app: Flask | None = None) -> Path:
    """Where the Whoosh index lives: SEARCH_INDEX, else DATA_DIR/search-index."""
    app = app or current_app
    configured = app.config.get("SEARCH_INDEX")
    return Path(configured or Path(app.config["DATA_DIR"]) / "search-index")


def create_backend(name: str, app: Flask | None = None) -> Backend:
    """A new instance of the named backend (not cached)."""
    if name not in BACKENDS:
        raise BackendConfigError(f"unknown search backend {name!r}")
    module = importlib.import_module(f"dossier.search.backends.{name}")
    backend: Backend = module.create(app or current_app)
    return backend


def get_backend(app: Flask | None = None) -> Backend:
    """The app's backend, created on first use and kept in app.extensions."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    backend: Backend | None = app.extensions.get(_EXTENSION_KEY)
    if backend is None:
        backend = create_backend(backend_name(app), app)
        app.extensions[_EXTENSION_KEY] = backend
    return backend


def reset_backend(app: Flask | None = None) -> None:
    """Forget the cached instance (tests switch index directories; the next use makes one)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    backend = app.extensions.pop(_EXTENSION_KEY, None)
    close = getattr(backend, "close", None)
    if callable(close):
        close()


def set_backend(backend: Backend, app: Flask | None = None) -> None:
    """Use this instance for the app (tests give each test its own index)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    reset_backend(app)
    app.extensions[_EXTENSION_KEY] = backend
