"""Unit tests of the pure analytics metrics."""
