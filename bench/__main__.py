"""Run every benchmark: `python -m bench` (or `make bench`)."""

from __future__ import annotations

from bench import archive, crm_merge_import, dossier_page, ingest, search

if __name__ == "__main__":
    dossier_page.main()
    ingest.main([])  # the 200-page memory run is apart: python -m bench.ingest --rss
    search.main([])  # 100,000 documents: Whoosh, and PostgreSQL when a server is set
    if archive.server_url(None):  # 200,000 originals and a gunicorn: PostgreSQL only
        archive.main([])
    crm_merge_import.main([])  # finder + import of 20,000: PostgreSQL when a server is set
