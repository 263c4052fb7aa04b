"""Database models of the portfolios domain."""

from __future__ import annotations
