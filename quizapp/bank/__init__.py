"""Question banks: the item model, loading and validation (no UI, no database)."""
