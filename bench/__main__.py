"""Run every benchmark: `python -m bench` (or `make bench`)."""

from __future__ import annotations

from bench import dossier_page

if __name__ == "__main__":
    dossier_page.main()
