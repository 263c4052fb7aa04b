"""trading domain."""
