"""challenges domain."""
