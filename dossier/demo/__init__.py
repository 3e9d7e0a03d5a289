"""Demo data: a realistic Dutch data set and the demo logins."""
