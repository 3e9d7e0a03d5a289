"""`flask dossier search` (what a user would find) and `flask dossier reindex` (rebuild)."""

from __future__ import annotations

import json
import time

import click
from sqlalchemy import func, select

from dossier.auth.services import find_user
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.search import rebuild
from dossier.search import search as run_search
from dossier.search.query import QuerySyntaxError
from dossier.search.results import SearchResults, to_json


@click.command("search")
@click.argument("query")
@click.option("--as", "username", required=True, help="Search as this user (their scopes).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, as GET /api/v1/search does.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--order", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True)
def search_command(query: str, username: str, as_json: bool, page: int, per_page: int,
                   order: str) -> None:
    """Print the documents and customers USER would find for QUERY (the search is audited)."""
    user = find_user(username.strip())
    if user is None or not user.active:
        raise click.ClickException(f"No active user {username!r}.")
    try:
        results = run_search(query, user, page=page, per_page=per_page, order=order)
    except QuerySyntaxError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()  # the audit event
    if as_json:
        click.echo(json.dumps(to_json(results), ensure_ascii=False, indent=2))
    else:
        _print_results(results)


def _print_results(results: SearchResults) -> None:
    if results.notice:
        click.echo(results.notice)
    click.echo(f"{results.total} documents, page {results.page} of {max(results.pages, 1)}")
    for hit in results.hits:
        document = hit.document
        customers = ", ".join(f"{c.number} {c.display_name}" for c in hit.customers)
        click.echo(f"{document.id:>7}  {document.document_date.isoformat()}  "
                   f"{document.document_type.code:<14} {document.title}  [{customers}]")
    if results.customers:
        click.echo("Customers:")
        for customer in results.customers:
            click.echo(f"{customer.id:>7}  {customer.number}  {customer.display_name}  "
                       f"{customer.postcode} {customer.city}".rstrip())


@click.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from the database (the database is the source of truth)."""
    total = db.session.scalar(select(func.count(Document.id))) or 0
    db.session.commit()  # do not hold a read transaction while the rebuild runs
    started = time.monotonic()
    with click.progressbar(length=total, label="Indexing documents") as bar:
        count = rebuild(progress=bar.update)
    click.echo(f"Indexed {count} documents in {time.monotonic() - started:.1f} s.")
