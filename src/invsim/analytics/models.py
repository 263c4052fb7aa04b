"""Database models of the analytics domain."""

from __future__ import annotations
