"""Database models of the trading domain."""

from __future__ import annotations
