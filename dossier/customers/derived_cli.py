"""`flask dossier derive`: recompute derived values for every customer, field by field."""

from __future__ import annotations

import time

import click

from dossier.customers.derived_compute import active_fields, recompute_all
from dossier.customers.derived_models import DerivedField
from dossier.extensions import db


@click.command("derive")
@click.option("--field", "keys", multiple=True, metavar="KEY",
              help="Only this derived field (repeatable); default: every active field.")
def derive_command(keys: tuple[str, ...]) -> None:
    """Recompute derived values in bulk (one SQL statement per field, committed per field)."""
    fields = active_fields()
    known = {field.key for field in fields}
    unknown = sorted(set(keys) - known)
    if unknown:
        raise click.ClickException(f"No active derived field {', '.join(unknown)}; "
                                   f"known: {', '.join(sorted(known)) or 'none'}.")
    chosen = set(keys) if keys else known
    db.session.commit()  # no read transaction held while the run commits field by field
    started = time.monotonic()
    with click.progressbar(length=len(chosen), label="Computing derived fields") as bar:

        def advance(field: DerivedField, stored: int) -> None:
            bar.update(1)

        total = recompute_all(keys=chosen, progress=advance, commit_each=True)
    db.session.commit()
    click.echo(f"Computed {len(chosen)} fields, {total} values, "
               f"in {time.monotonic() - started:.1f} s.")
