"""Run every benchmark: `python -m bench` (or `make bench`)."""

from __future__ import annotations

from bench import dossier_page, ingest

if __name__ == "__main__":
    dossier_page.main()
    ingest.main([])  # the 200-page memory run is apart: python -m bench.ingest --rss
