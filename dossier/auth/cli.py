"""`flask dossier users ...`: create, list and disable users from the shell."""

from __future__ import annotations

from flask.cli import AppGroup

users_cli = AppGroup("users", help="Manage users.")
