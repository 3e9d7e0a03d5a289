"""The web layer shared by all features: dashboard, layout helpers, error pages, language."""
