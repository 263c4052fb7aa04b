import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import { HEATMAP, WALK, run } from "./fixtures.test-data";
import { RunLive } from "./RunLive";
import { SavedRuns } from "./SavedRuns";
import { SweepHeatmap } from "./SweepResults";
import { WalkForwardTable } from "./WalkForwardTable";

describe("backtest results", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("draws the sweep heatmap with the best cell outlined and empty cells marked", () => {
    render(<SweepHeatmap map={HEATMAP} />);
    const table = screen.getByRole("table");
    const cells = within(table).getAllByRole("cell");
    expect(cells.map((c) => c.textContent)).toEqual(["0.50", "1.25", "—", "-0.20"]);
    expect(cells[1]).toHaveClass("is-best");
    expect(cells[2]).toHaveClass("is-empty");
    expect(cells[1]!.style.getPropertyValue("--level")).toBe("100");
    expect(cells[3]!.style.getPropertyValue("--level")).toBe("0");
  });

  it("puts in-sample and out-of-sample side by side with the warning", () => {
    render(<WalkForwardTable result={WALK} />);
    expect(screen.getByRole("alert")).toHaveTextContent("did not hold out of sample");
    const row = screen.getAllByRole("row")[1]!;
    expect(within(row).getByText("fast=5, slow=20")).toBeInTheDocument();
    expect(within(row).getByText("2.10")).toBeInTheDocument();
    expect(within(row).getByText("-0.40")).toBeInTheDocument();
    expect(within(row).getByText("No")).toBeInTheDocument();
  });

  it("attaches the strategy live and reports success or the server's refusal", async () => {
    const { calls } = stubFetch((c) => {
      if (c.path === "/portfolios/4/live-strategies") {
        return { status: 403, body: { error: { code: "strategies_not_allowed", message: "This portfolio's rules do not allow live strategies.", details: {} } } };
      }
      if (c.path === "/portfolios/3/live-strategies") {
        return { status: 201, body: { id: 1, strategy: "sma_cross", params: {}, symbols: ["AAPL"], status: "active", created_at: "", last_run_at: null } };
      }
      return undefined;
    });
    render(<RunLive strategy="sma_cross" params={{ fast: 5 }} symbols={["AAPL"]} portfolios={[{ id: 3, name: "Main" }, { id: 4, name: "Challenge" }]} />);
    await userEvent.click(screen.getByRole("button", { name: "Run live" }));
    expect(await screen.findByText(/now runs live on Main/)).toBeInTheDocument();
    expect(calls[0]!.body).toEqual({ strategy: "sma_cross", params: { fast: 5 }, symbols: ["AAPL"] });
    await userEvent.selectOptions(screen.getByLabelText("Portfolio"), "4");
    await userEvent.click(screen.getByRole("button", { name: "Run live" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This portfolio's rules do not allow live strategies.");
  });

  it("lists saved runs and compares the ticked ones side by side", async () => {
    const runs = [run({ id: 9, strategy: "buy_and_hold" }), run({ id: 7 })];
    const { calls } = stubFetch((c) => {
      if (c.path.startsWith("/backtests?")) return { status: 200, body: { runs, total: 2, limit: 20, offset: 0 } };
      if (c.path.startsWith("/backtests/compare")) return { status: 200, body: { runs: [runs[1], runs[0]], metrics: ["final_equity", "sharpe", "trades"] } };
      return undefined;
    });
    const open = vi.fn();
    render(<SavedRuns onOpen={open} activeId={null} />);
    const item = await screen.findByRole("listitem", { name: "Run 9" });
    await userEvent.click(within(item).getByRole("button", { name: "View" }));
    expect(open).toHaveBeenCalledWith(9);
    const compare = screen.getByRole("button", { name: /Compare selected/ });
    expect(compare).toBeDisabled();
    await userEvent.click(screen.getByLabelText(/#9 buy_and_hold/));
    await userEvent.click(screen.getByLabelText(/#7 sma_cross/));
    await userEvent.click(compare);
    const table = await screen.findByRole("table", { name: "Comparison" });
    expect(calls.some((c) => c.path === "/backtests/compare?ids=7%2C9")).toBe(true);
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Figure", "#7 sma_cross", "#9 buy_and_hold"]);
    expect(within(table).getByText("Sharpe")).toBeInTheDocument();
  });
});
