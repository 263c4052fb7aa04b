import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { setDefaultLocale } from "@/lib/format";
import type { RollingFigures } from "../types";
import { RollingCharts } from "./RollingCharts";

setDefaultLocale("en-US");

const DAY = 86_400;
const empty = (label: string, size: number) => ({ label, size, timestamp: [], volatility: [], sharpe: [], beta_timestamp: [], beta: [] });

const data: RollingFigures = {
  period: "ALL",
  benchmark: "SPY",
  risk_free_rate: "0.04",
  periods_per_year: 365,
  windows: [
    {
      label: "3M",
      size: 91,
      timestamp: [DAY * 100, DAY * 101, DAY * 102],
      volatility: [0.21, 0.2234, 0.25],
      sharpe: [1.1, null, 0.85],
      beta_timestamp: [DAY * 101, DAY * 102],
      beta: [0.9, 1.234],
    },
    empty("1Y", 365),
  ],
};

describe("RollingCharts", () => {
  it("draws volatility, Sharpe and beta with the latest value of each window", () => {
    render(<RollingCharts data={data} />);
    expect(screen.getByRole("heading", { name: "Rolling volatility" })).toBeInTheDocument();
    expect(screen.getByText("Latest: 3M 25.0%")).toBeInTheDocument();
    expect(screen.getByText("Latest: 3M 0.85")).toBeInTheDocument(); // the last defined Sharpe
    expect(screen.getByText("Latest: 3M 1.23")).toBeInTheDocument();
    // Each chart names its windows for screen readers; the year window has no point yet.
    const charts = screen.getAllByRole("img");
    expect(charts).toHaveLength(3);
    expect(charts[0]).toHaveAccessibleName(/trailing windows of 91 days\. Latest: 3M 25\.0%/);
  });

  it("explains when the history is shorter than a quarter", () => {
    render(<RollingCharts data={{ ...data, windows: [empty("3M", 63), empty("1Y", 252)] }} />);
    expect(screen.getByText("Not enough history for rolling figures yet.")).toBeInTheDocument();
    expect(screen.getByText(/once the portfolio has 64 daily values/)).toBeInTheDocument();
    expect(screen.queryByRole("img")).not.toBeInTheDocument();
  });
});
