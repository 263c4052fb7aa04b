import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { setDefaultLocale } from "@/lib/format";
import { MetricsGrid } from "./MetricsGrid";

setDefaultLocale("en-US");

const data = {
  period: "1M",
  benchmark: "QQQ",
  risk_free_rate: "0.04",
  returns: {
    start_on: "2030-03-01",
    end_on: "2030-03-31",
    start_equity: "100000.00",
    end_equity: "101500.00",
    net_flows: "0.00",
    profit_loss: "1500.00",
  },
  metrics: {
    twr: 0.015, best_day: 2.8e-6, worst_day: -0.0123, volatility: 0.25, sharpe: null, max_drawdown: -0.031,
    periods_per_year: 365, information_ratio: 0.734, tracking_error: 0.1831, r_squared: 0.42, skew: -0.57,
  },
};

function card(label: string) {
  return within(screen.getByText(label, { selector: "dt" }).parentElement!);
}

describe("MetricsGrid", () => {
  it("shows each figure with its explanation, signed and coloured", () => {
    render(<MetricsGrid data={data} />);
    expect(card("Profit / loss").getByText("+$1,500.00")).toHaveClass("tone--gain");
    expect(card("Return").getByText("+1.50%")).toHaveClass("tone--gain");
    expect(card("Worst day").getByText("-1.23%")).toHaveClass("tone--loss");
    expect(card("Max drawdown").getByText("-3.10%")).toBeInTheDocument();
    expect(card("Volatility").getByText("25.00%")).toBeInTheDocument();
    expect(card("Volatility").getByText(/bumpier ride/)).toBeInTheDocument();
    expect(card("QQQ return").getByText(/same days/)).toBeInTheDocument();
  });

  it("shows the benchmark-relative and distribution figures and the annualisation", () => {
    render(<MetricsGrid data={data} />);
    expect(screen.getByRole("heading", { name: "Against QQQ and the shape of returns" })).toBeInTheDocument();
    expect(card("Information ratio").getByText("0.73")).toBeInTheDocument();
    expect(card("Tracking error").getByText("18.31%")).toBeInTheDocument();
    expect(card("Skew").getByText("-0.57")).toBeInTheDocument();
    expect(card("Omega ratio").getByText("Not enough history yet")).toBeInTheDocument();
    expect(screen.getByText(/Annualised over 365 trading sessions a year\./)).toBeInTheDocument();
  });

  it("formats numbers in exponent form and explains missing ones", () => {
    render(<MetricsGrid data={data} />);
    // 0.00028 %: four decimals, so a real gain never reads 0.00 %
    expect(card("Best day").getByText("+0.0003%")).toHaveClass("tone--gain");
    expect(card("Sharpe ratio").getByText("Not enough history yet")).toBeInTheDocument();
  });

  it("names a young window by its real span and holds back figures that need more history", () => {
    const opened = Date.parse("2030-03-31T15:00:00Z") / 1000;
    const young = {
      ...data,
      returns: { ...data.returns, start_on: "2030-03-30", end_on: "2030-03-31", profit_loss: "3.87" },
      metrics: { twr: 0.0000387, positive_days: 1, var_95: -0.0001, best_day: 0.0000387, largest_weight: 1, points: 2 },
    };
    const allocation = {
      equity: "100003.87", cash: "96153.00", cash_weight: "0.9615", long_market_value: "3850.87", short_market_value: "0.00",
      by_symbol: [{ label: "AAPL", value: "3850.87", weight: "0.0385", long_value: "3850.87", short_value: "0" }],
      by_sector: [], by_asset_class: [], by_side: [],
    };
    render(<MetricsGrid data={young} openedAt="2030-03-31T15:00:00Z" allocation={allocation} now={opened + 300} />);
    expect(screen.getByText(/^Since the portfolio opened 5 minutes ago\./)).toBeInTheDocument();
    expect(screen.queryByText(/^From /)).toBeNull();
    expect(card("Days with a gain").getByText("Needs 5 days of history")).toBeInTheDocument();
    expect(card("Value at risk (95 %)").getByText("Needs 20 days of history")).toBeInTheDocument();
    expect(card("Return").getByText("+0.0039%")).toHaveClass("tone--gain"); // beside +$3.87, never 0.00 %
    expect(card("Largest holding").getByText(/3\.85% of equity/)).toBeInTheDocument();
    expect(card("Largest holding").getByText("100.00% of what you hold")).toBeInTheDocument();
  });
});
