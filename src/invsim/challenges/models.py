"""Database models of the challenges domain."""

from __future__ import annotations
