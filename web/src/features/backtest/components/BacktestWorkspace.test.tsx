import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch, type FakeCall } from "@/test/fakeFetch";
import { BacktestWorkspace } from "./BacktestWorkspace";
import { STRATEGIES, run } from "./fixtures.test-data";

const PORTFOLIOS = [{ id: 3, name: "My portfolio" }];

/** A fake server: strategies, a POST that queues run 7, GETs that answer running then done. */
function server(post: (c: FakeCall) => { status: number; body: unknown; headers?: Record<string, string> } = () => ({ status: 202, body: run({ status: "queued", progress: 0, result: null, summary: null }) })) {
  let polls = 0;
  let saved = false;
  return stubFetch((c) => {
    if (c.path === "/backtests/strategies") return { status: 200, body: STRATEGIES };
    if (c.method === "POST" && c.path === "/backtests") {
      const reply = post(c);
      saved = reply.status === 202;
      return reply;
    }
    if (c.path.startsWith("/backtests?")) return { status: 200, body: { runs: saved ? [run()] : [], total: saved ? 1 : 0, limit: 20, offset: 0 } };
    if (c.path === "/backtests/7") {
      polls += 1;
      return { status: 200, body: polls < 2 ? run({ status: "running", progress: 40, result: null, summary: null }) : run() };
    }
    if (c.method === "POST" && c.path === "/portfolios/3/live-strategies") {
      return { status: 404, body: { error: { code: "not_found", message: "Not found", details: {} } } };
    }
    return undefined;
  });
}

describe("BacktestWorkspace", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("generates the parameter form from the strategies and submits the request", async () => {
    const { calls } = server();
    render(<BacktestWorkspace portfolios={PORTFOLIOS} />);
    const fast = await screen.findByLabelText("fast");
    expect(fast).toHaveValue("10");
    expect(screen.getByText(/1 to 500 · bars in the fast moving average/)).toBeInTheDocument();
    await userEvent.clear(fast);
    await userEvent.type(fast, "5");
    await userEvent.clear(screen.getByLabelText("Symbols"));
    await userEvent.type(screen.getByLabelText("Symbols"), "aapl, msft");
    await userEvent.click(screen.getByRole("button", { name: "Run backtest" }));
    const post = await vi.waitFor(() => {
      const found = calls.find((c) => c.method === "POST");
      if (!found) throw new Error("not yet");
      return found;
    });
    expect(post.body).toMatchObject({ strategy: "sma_cross", symbols: ["AAPL", "MSFT"], params: { fast: "5", slow: "20", long_short: false } });
  });

  it("shows progress while the run works, then the figures and trades", async () => {
    server();
    render(<BacktestWorkspace portfolios={PORTFOLIOS} />);
    await userEvent.click(await screen.findByRole("button", { name: "Run backtest" }));
    const bar = await screen.findByRole("progressbar");
    expect(bar).toHaveAttribute("max", "100");
    const figures = await screen.findByLabelText("Backtest figures", {}, { timeout: 4000 });
    expect(within(figures).getByText("Final equity")).toBeInTheDocument();
    expect(within(figures).getByText("$10,050.00")).toBeInTheDocument();
    expect(screen.getByRole("progressbar")).toHaveValue(100);
    const trades = screen.getByRole("table", { name: "Trades" });
    expect(within(trades).getByText("+$50.00")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Strategy equity from \$10,000.00 to \$10,050.00/ })).toBeInTheDocument();
  });

  it("shows the server's reason when a request is refused", async () => {
    server(() => ({
      status: 422,
      body: { error: { code: "too_many_combinations", message: "The sweep has 49500 combinations; the limit is 2000.", details: { limit: 2000 } } },
    }));
    render(<BacktestWorkspace portfolios={PORTFOLIOS} />);
    await userEvent.click(await screen.findByRole("button", { name: "Run backtest" }));
    expect(await screen.findByText("The sweep has 49500 combinations; the limit is 2000.")).toBeInTheDocument();
  });

  it("says when running live is not available on the server", async () => {
    server();
    render(<BacktestWorkspace portfolios={PORTFOLIOS} />);
    await userEvent.click(await screen.findByRole("button", { name: "Run backtest" }));
    await userEvent.click(await screen.findByRole("button", { name: "Run live" }, { timeout: 4000 }));
    expect(await screen.findByText("Running strategies live isn't available on this server yet.")).toBeInTheDocument();
  });
});
