"""Item pipelines, one per file."""
