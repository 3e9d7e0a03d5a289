"""Scanner inbox: watched folder, ingest jobs, OCR, barcode routing and triage."""
