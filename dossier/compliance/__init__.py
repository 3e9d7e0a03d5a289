"""compliance feature package."""
