"""EMF metrics of order placement: orders placed by source and type, rejections by code."""

from __future__ import annotations

from invsim.core import emf
from invsim.core.emf import Metric


def placed(*, source: str, order_type: str) -> None:
    """Count one new order (a replayed client_order_id is not a new order)."""
    if not emf.enabled():
        return
    emf.emit({"OrdersPlaced": Metric(1)}, {"Source": source, "OrderType": order_type},
             dimension_sets=[["Source", "OrderType"], ["Source"]])


def rejected(*, source: str, code: str) -> None:
    """Count one refused placement by the error code the client was answered with."""
    if not emf.enabled():
        return
    emf.emit({"OrdersRejected": Metric(1)}, {"Source": source, "Code": code},
             dimension_sets=[["Code"], ["Source"]])
