"""market/providers domain."""
