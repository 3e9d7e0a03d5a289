"""documents feature package."""
