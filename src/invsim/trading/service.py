"""The trading domain's public service API: one import point for views, jobs and other domains.

Use-cases own their transaction; see each module for the details.
"""

from __future__ import annotations

from invsim.trading.activities import (
    Activity,
    ActivityPage,
    activities_csv,
    cursor_after,
    list_activities,
)
from invsim.trading.amend import (
    cancel_all,
    cancel_open_orders,
    cancel_order,
    close_position,
    replace_order,
)
from invsim.trading.brackets import Exits, GroupPlacement, place_group
from invsim.trading.corporate_actions import SplitFact, entitlements, splits_of
from invsim.trading.events import subscribe as subscribe_order_events
from invsim.trading.ledger import LedgerReport, rebuild_portfolio, verify_ledger
from invsim.trading.lifecycle import archive_portfolio, reset_portfolio
from invsim.trading.margin_jobs import charge_margin_interest, check_margin
from invsim.trading.matching import MatchReport, match_open_orders
from invsim.trading.order_input import OrderRequest, ReplaceRequest, normalise_symbol
from invsim.trading.placement import Placement, place_order
from invsim.trading.preview import Preview, preview_order
from invsim.trading.queries import (
    get_order,
    get_order_by_client_order_id,
    group_of,
    list_orders,
    order_history,
    symbols_in_use,
)
from invsim.trading.summary import (
    AccountSummary,
    PositionView,
    account_summary,
    equities,
    positions_view,
    summaries,
)

__all__ = [
    "AccountSummary",
    "Activity",
    "ActivityPage",
    "Exits",
    "GroupPlacement",
    "LedgerReport",
    "MatchReport",
    "OrderRequest",
    "Placement",
    "PositionView",
    "Preview",
    "ReplaceRequest",
    "SplitFact",
    "account_summary",
    "activities_csv",
    "archive_portfolio",
    "cancel_all",
    "cancel_open_orders",
    "cancel_order",
    "charge_margin_interest",
    "check_margin",
    "close_position",
    "cursor_after",
    "entitlements",
    "equities",
    "get_order",
    "get_order_by_client_order_id",
    "group_of",
    "list_activities",
    "list_orders",
    "match_open_orders",
    "normalise_symbol",
    "order_history",
    "place_group",
    "place_order",
    "positions_view",
    "preview_order",
    "rebuild_portfolio",
    "replace_order",
    "reset_portfolio",
    "splits_of",
    "subscribe_order_events",
    "summaries",
    "symbols_in_use",
    "verify_ledger",
]
