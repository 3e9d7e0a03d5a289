"""Settings read from DOSSIER_* environment variables, with embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"DOSSIER_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    """The folder for the embedded database, secret key, file store and queue."""
    return Path(_env("DATA_DIR") or PROJECT_ROOT / "instance").resolve()


def read_secret_key(directory: Path) -> str | None:
    path = directory / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip() or None
    return None


def database_url(raw: str) -> str:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def load_settings() -> dict[str, Any]:
    """Build the Flask config mapping from the environment (no side effects)."""
    directory = data_dir()
    upload_mb = int(_env("MAX_UPLOAD_MB", "50") or "50")
    return {
        "DATA_DIR": str(directory),
        "SQLALCHEMY_DATABASE_URI": database_url(
            _env("DATABASE_URL") or f"sqlite:///{directory / 'dossier.db'}"
        ),
        "SECRET_KEY": _env("SECRET_KEY") or read_secret_key(directory),
        "FILE_STORE": _env("FILE_STORE") or str(directory / "files"),
        "INBOX": _env("INBOX") or str(PROJECT_ROOT / "scanner_inbox"),
        "INBOX_STABLE_SECONDS": float(_env("INBOX_STABLE_SECONDS", "3") or "3"),
        "INBOX_POLL_SECONDS": float(_env("INBOX_POLL_SECONDS", "5") or "5"),
        "INGEST_LEASE_SECONDS": int(_env("INGEST_LEASE_SECONDS", "60") or "60"),
        "INGEST_MAX_ATTEMPTS": int(_env("INGEST_MAX_ATTEMPTS", "3") or "3"),
        "INGEST_MAX_BYTES": int(_env("MAX_FILE_MB", "200") or "200") * 1024 * 1024,
        "INGEST_MAX_PAGES": int(_env("MAX_PAGES", "500") or "500"),
        "INGEST_MAX_PIXELS": int(_env("MAX_PIXELS", "40000000") or "40000000"),
        "OCR_TIMEOUT": float(_env("OCR_TIMEOUT", "120") or "120"),
        "OCR_LANGUAGES": _env("OCR_LANGUAGES") or "nld+eng",
        "OCR_PROCESSES": int(_env("OCR_PROCESSES") or os.cpu_count() or 1),
        "QUEUE_URL": _env("QUEUE_URL") or "",
        # Key prefix in Redis: installations (or test runs) sharing one Redis keep apart.
        "QUEUE_NAME": _env("QUEUE_NAME") or "dossier",
        "MAX_CONTENT_LENGTH": upload_mb * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI") or "memory://",
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT") or "10 per minute",
        # Per API token (or session user): a program that loops cannot starve the others.
        "API_RATE_LIMIT": _env("API_RATE_LIMIT") or "600 per minute",
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES", False),
        "REMEMBER_COOKIE_SECURE": _env_bool("SECURE_COOKIES", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": int(_env("SESSION_HOURS", "10") or "10") * 3600,
        "BABEL_DEFAULT_LOCALE": _env("DEFAULT_LOCALE") or "nl",
        "BABEL_DEFAULT_TIMEZONE": _env("TIMEZONE") or "Europe/Amsterdam",
        "CURRENCY": _env("CURRENCY") or "EUR",
        "PAGE_SIZE": int(_env("PAGE_SIZE", "25") or "25"),
        # Customer import (CSV, Excel): the largest file accepted.
        "IMPORT_MAX_BYTES": int(_env("IMPORT_MAX_MB", "10") or "10") * 1024 * 1024,
        "ARCHIVE_LOAN_DAYS": int(_env("ARCHIVE_LOAN_DAYS", "14") or "14"),
        # A portable scanner's file (archive scanner upload): size and lines read at once.
        "ARCHIVE_UPLOAD_MAX_BYTES": int(_env("ARCHIVE_UPLOAD_MAX_KB", "1024") or "1024") * 1024,
        "ARCHIVE_UPLOAD_MAX_LINES": int(_env("ARCHIVE_UPLOAD_MAX_LINES", "5000") or "5000"),
        # Digitisation advisor: static originals asked for more than N times in M months.
        "ARCHIVE_ADVISOR_REQUESTS": int(_env("ARCHIVE_ADVISOR_REQUESTS", "3") or "3"),
        "ARCHIVE_ADVISOR_MONTHS": int(_env("ARCHIVE_ADVISOR_MONTHS", "12") or "12"),
        # auto: PostgreSQL full-text search when the database is PostgreSQL, else Whoosh.
        "SEARCH_BACKEND": (_env("SEARCH_BACKEND") or "auto").strip().lower(),
        "SEARCH_INDEX": _env("SEARCH_INDEX") or str(directory / "search-index"),
        "ALLOWED_UPLOAD_TYPES": (
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/tiff",
            "text/plain",
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_TIME_LIMIT": None,
    }
