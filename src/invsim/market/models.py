"""Database models of the market domain."""

from __future__ import annotations
