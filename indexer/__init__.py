"""Indexer: parse, clean, enrich and store articles; the Celery worker and the CLI."""
