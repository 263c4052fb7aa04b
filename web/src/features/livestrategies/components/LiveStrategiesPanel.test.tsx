import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import type { LiveStrategy } from "../types";
import { describeParams, LiveStrategiesPanel } from "./LiveStrategiesPanel";

const PATH = "/portfolios/7/live-strategies";

const row = (over: Partial<LiveStrategy> = {}): LiveStrategy => ({
  id: 3,
  portfolio_id: 7,
  strategy: "sma_cross",
  params: { fast: 10, slow: 20 },
  symbols: ["AAPL"],
  status: "active",
  created_at: "2026-01-02T03:04:05Z",
  start_bar_at: "2026-01-01T14:30:00Z",
  last_bar_at: null,
  last_run_at: null,
  last_error: null,
  orders_placed: 0,
  ...over,
});

/** A fake server holding one live strategy: list, pause, resume, stop. */
function server(initial: LiveStrategy) {
  let current = initial;
  return stubFetch((c) => {
    if (c.method === "GET" && c.path === PATH) return { status: 200, body: { items: [current] } };
    const move = (status: LiveStrategy["status"]) => {
      current = { ...current, status };
      return { status: 200, body: current };
    };
    if (c.method === "POST" && c.path === `${PATH}/3/pause`) return move("paused");
    if (c.method === "POST" && c.path === `${PATH}/3/resume`) return move("active");
    if (c.method === "DELETE" && c.path === `${PATH}/3`) {
      current = { ...current, status: "stopped" };
      return { status: 204 };
    }
    return undefined;
  });
}

describe("LiveStrategiesPanel", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("lists a strategy with its parameters and status, then pauses, resumes and stops it", async () => {
    const { calls } = server(row());
    render(<LiveStrategiesPanel portfolioId={7} />);
    const item = await screen.findByRole("listitem", { name: "sma_cross on AAPL" });
    expect(within(item).getByText("fast 10 · slow 20")).toBeInTheDocument();
    expect(within(item).getByText("Running")).toBeInTheDocument();

    await userEvent.click(within(item).getByRole("button", { name: "Pause" }));
    expect(await within(item).findByText("Paused")).toBeInTheDocument();
    await userEvent.click(within(item).getByRole("button", { name: "Resume" }));
    expect(await within(item).findByText("Running")).toBeInTheDocument();
    await userEvent.click(within(item).getByRole("button", { name: "Stop" }));
    expect(await within(item).findByText("Stopped")).toBeInTheDocument();
    expect(within(item).queryByRole("button")).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toContain(`DELETE ${PATH}/3`);
  });

  it("shows the last run's problem", async () => {
    server(row({ status: "active", last_error: "AAPL buy: insufficient_buying_power", orders_placed: 2, last_bar_at: "2026-01-05T14:30:00Z" }));
    render(<LiveStrategiesPanel portfolioId={7} />);
    expect(await screen.findByText("AAPL buy: insufficient_buying_power")).toBeInTheDocument();
    expect(screen.getByText(/2 orders placed/)).toBeInTheDocument();
  });

  it("says how to start one when there is none", async () => {
    stubFetch((c) => (c.method === "GET" && c.path === PATH ? { status: 200, body: { items: [] } } : undefined));
    render(<LiveStrategiesPanel portfolioId={7} />);
    expect(await screen.findByText("No live strategies.")).toBeInTheDocument();
  });

  it("describes weights and plain values", () => {
    expect(describeParams({ weights: { SPY: "0.6", TLT: "0.4" }, period: "monthly" })).toBe("weights SPY:0.6,TLT:0.4 · period monthly");
  });
});
