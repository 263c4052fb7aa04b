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
    expect(card("Best day").getByText("0.00%")).toHaveClass("tone--flat");
    expect(card("Sharpe ratio").getByText("Not enough history yet")).toBeInTheDocument();
  });
});
