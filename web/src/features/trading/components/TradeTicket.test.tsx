import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import { TradeTicket } from "./TradeTicket";

const quote = { bid: "99.90", ask: "100.10", last: "100.00" };

const PREVIEW = {
  symbol: "AAPL", side: "buy", status: "filled", estimated_qty: "5", estimated_price: "100.1",
  estimated_value: "500.50", commission: "1.00", estimated_total: "501.50", slippage: "0.00",
  quote_price: "100.1", buying_power: "5000.00", buying_power_after: "4498.50", rejection: null, message: null,
};

function renderTicket(props: Partial<Parameters<typeof TradeTicket>[0]> = {}) {
  return render(
    <TradeTicket portfolioId={7} symbol="AAPL" onSymbolChange={() => undefined} quote={quote} buyingPower="5000.00" {...props} />,
  );
}

describe("TradeTicket", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the price fields each order type needs", async () => {
    const u = userEvent.setup();
    renderTicket();
    expect(screen.queryByLabelText("Limit price (USD)")).toBeNull();
    await u.selectOptions(screen.getByLabelText("Order type"), "stop_limit");
    expect(screen.getByLabelText("Limit price (USD)")).toBeInTheDocument();
    expect(screen.getByLabelText("Stop price (USD)")).toBeInTheDocument();
    expect(screen.queryByRole("radio", { name: "Dollars" })).toBeNull();
    await u.selectOptions(screen.getByLabelText("Order type"), "trailing_stop");
    expect(screen.getByLabelText("Trail (%)")).toBeInTheDocument();
    expect(screen.queryByLabelText("Limit price (USD)")).toBeNull();
  });

  it("shows the server's preview of the order, and its refusal", async () => {
    const { calls } = stubFetch((c) => {
      if (c.path !== "/portfolios/7/orders:preview") return undefined;
      const qty = (c.body as { qty: string }).qty;
      if (qty === "60") {
        return { status: 200, body: { ...PREVIEW, status: null, rejection: "insufficient_buying_power", message: "not enough buying power for this order" } };
      }
      return { status: 200, body: PREVIEW };
    });
    const u = userEvent.setup();
    renderTicket();
    await u.type(screen.getByLabelText("Quantity (shares)"), "5");
    expect(await screen.findByText("Estimated cost")).toBeInTheDocument();
    expect(screen.getByText("Estimated cost").nextSibling).toHaveTextContent("$501.50");
    expect(screen.getByText("Commission").nextSibling).toHaveTextContent("$1.00");
    expect(screen.getByText("Buying power after").nextSibling).toHaveTextContent("$4,498.50");
    const previews = calls.filter((c) => c.path === "/portfolios/7/orders:preview");
    expect(previews.at(-1)!.body).toMatchObject({ symbol: "AAPL", side: "buy", type: "market", qty: "5" });
    expect(previews.at(-1)!.body).not.toHaveProperty("client_order_id");
    await u.clear(screen.getByLabelText("Quantity (shares)"));
    await u.type(screen.getByLabelText("Quantity (shares)"), "60");
    expect(await screen.findByText(/more than your buying power/)).toBeInTheDocument();
    expect(calls.filter((c) => c.path === "/portfolios/7/orders")).toHaveLength(0);
  });

  it("validates before sending and sends only the type's fields", async () => {
    const { calls } = stubFetch((c) =>
      c.method === "POST" && c.path === "/portfolios/7/orders"
        ? {
            status: 201,
            body: { id: 1, symbol: "AAPL", side: "buy", type: "limit", qty: "3", limit_price: "99.5", filled_qty: "0", status: "accepted" },
          }
        : undefined,
    );
    const placed = vi.fn();
    const u = userEvent.setup();
    renderTicket({ onPlaced: placed });
    await u.selectOptions(screen.getByLabelText("Order type"), "limit");
    await u.click(screen.getByRole("button", { name: "Buy AAPL" }));
    expect(screen.getByLabelText("Quantity (shares)")).toHaveAccessibleDescription("Enter a quantity.");
    expect(screen.getByLabelText("Limit price (USD)")).toHaveAccessibleDescription(/Enter a limit price/);
    expect(calls).toHaveLength(0);

    await u.type(screen.getByLabelText("Quantity (shares)"), "3");
    await u.type(screen.getByLabelText("Limit price (USD)"), "99.5");
    await u.click(screen.getByRole("button", { name: "Buy AAPL" }));
    await vi.waitFor(() => expect(placed).toHaveBeenCalled());
    const sent = calls.filter((c) => c.path === "/portfolios/7/orders");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ symbol: "AAPL", side: "buy", type: "limit", time_in_force: "day", qty: "3", limit_price: "99.5" });
    expect(sent[0]!.body).not.toHaveProperty("stop_price");
    expect((sent[0]!.body as { client_order_id: string }).client_order_id).toBeTruthy();
    expect(await screen.findByRole("status")).toHaveTextContent("Limit order to buy 3 AAPL at $99.50 is working (accepted).");
  });

  it("doesn't send an order for a symbol nothing is listed under", async () => {
    const { calls } = stubFetch(() => undefined);
    const u = userEvent.setup();
    renderTicket({ symbol: "NVIDIA", symbolListed: false, quote: null });
    expect(screen.getByLabelText("Symbol")).toHaveAccessibleDescription(/No stock or ETF is listed under NVIDIA/);
    await u.type(screen.getByLabelText("Quantity (shares)"), "1");
    await u.click(screen.getByRole("button", { name: "Buy NVIDIA" }));
    expect(calls.filter((c) => c.method === "POST" && c.path === "/portfolios/7/orders")).toHaveLength(0);
  });

  it("doesn't send an oversell its estimate already refused", async () => {
    const { calls } = stubFetch((c) =>
      c.path === "/portfolios/7/orders:preview"
        ? { status: 200, body: { ...PREVIEW, side: "sell", status: null, rejection: "insufficient_position", message: "no position" } }
        : undefined,
    );
    const u = userEvent.setup();
    renderTicket({ initialSide: "sell", heldQty: "0" });
    await u.type(screen.getByLabelText("Quantity (shares)"), "5");
    expect(await screen.findByText(/You hold 0 shares and this portfolio can't sell short/)).toBeInTheDocument();
    await u.click(screen.getByRole("button", { name: "Sell AAPL" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/^Not sent: the estimate above says why/);
    expect(calls.filter((c) => c.method === "POST" && c.path === "/portfolios/7/orders")).toHaveLength(0);
  });

  it("looks a newly typed symbol up instead of sending it", async () => {
    const { calls } = stubFetch(() => undefined);
    const switched = vi.fn();
    const u = userEvent.setup();
    renderTicket({ onSymbolChange: switched });
    const field = screen.getByLabelText("Symbol");
    await u.clear(field);
    await u.type(field, "msft");
    await u.type(screen.getByLabelText("Quantity (shares)"), "1{Enter}");
    expect(switched).toHaveBeenCalledWith("MSFT");
    expect(calls.filter((c) => c.method === "POST" && c.path === "/portfolios/7/orders")).toHaveLength(0);
  });

  it("reuses the client order id when retrying the same order", async () => {
    let first = true;
    // Only placements count: the estimate's preview may or may not run before the click.
    const { calls } = stubFetch((c) => {
      if (c.path !== "/portfolios/7/orders") return undefined;
      if (first) {
        first = false;
        return { status: 503, body: { error: { code: "unavailable", message: "busy", details: {} } } };
      }
      return {
        status: 201,
        body: { id: 1, symbol: "AAPL", side: "buy", type: "market", qty: "1", filled_qty: "1", filled_avg_price: "100.1", status: "filled" },
      };
    });
    const u = userEvent.setup();
    renderTicket();
    await u.type(screen.getByLabelText("Quantity (shares)"), "1");
    await u.click(screen.getByRole("button", { name: "Buy AAPL" }));
    expect(await screen.findByText(/server had a problem/)).toBeInTheDocument();
    await u.click(screen.getByRole("button", { name: "Buy AAPL" }));
    await screen.findByText("Bought 1 AAPL at $100.10.");
    const ids = calls.filter((c) => c.path === "/portfolios/7/orders").map((c) => (c.body as { client_order_id: string }).client_order_id);
    expect(ids[0]).toBe(ids[1]);
  });

  it("maps server field errors onto the inputs", async () => {
    stubFetch(() => ({
      status: 422,
      body: { error: { code: "validation_error", message: "bad", details: { fields: { qty: ["exceeds the maximum"] } } } },
    }));
    const u = userEvent.setup();
    renderTicket();
    await u.type(screen.getByLabelText("Quantity (shares)"), "5");
    await u.click(screen.getByRole("button", { name: "Buy AAPL" }));
    expect(await screen.findByText("exceeds the maximum")).toBeInTheDocument();
    expect(screen.getByLabelText("Quantity (shares)")).toHaveAttribute("aria-invalid", "true");
  });

  it("words a rejection from the trading rules", async () => {
    stubFetch(() => ({
      status: 422,
      body: {
        error: {
          code: "insufficient_buying_power",
          message: "not enough buying power for this order",
          details: { buying_power: "5000.00", symbol: "AAPL" },
        },
      },
    }));
    const u = userEvent.setup();
    renderTicket();
    await u.type(screen.getByLabelText("Quantity (shares)"), "5");
    await u.click(screen.getByRole("button", { name: "Buy AAPL" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Not enough buying power: this order needs more than the $5,000.00 you have available.",
    );
  });

  it("offers only the order types the rules allow", () => {
    renderTicket({ allowedOrderTypes: ["market", "limit"] });
    const options = Array.from((screen.getByLabelText("Order type") as HTMLSelectElement).options).map((o) => o.value);
    expect(options).toEqual(["market", "limit"]);
  });

  it("fills a sale of the whole holding", async () => {
    const u = userEvent.setup();
    renderTicket({ heldQty: "10" });
    await u.click(screen.getByRole("button", { name: "Sell all 10" }));
    expect(screen.getByRole("radio", { name: "Sell" })).toBeChecked();
    expect(screen.getByLabelText("Quantity (shares)")).toHaveValue("10");
    expect(screen.getByRole("button", { name: "Sell AAPL" })).toBeInTheDocument();
  });
});
