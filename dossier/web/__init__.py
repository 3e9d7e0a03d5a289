"""web feature package."""
