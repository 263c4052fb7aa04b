"""portfolios domain."""
