import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { setDefaultLocale } from "@/lib/format";
import type { CalendarReturns, PeriodReturn } from "../types";
import { MonthlyHeatmap } from "./MonthlyHeatmap";

setDefaultLocale("en-US");

const month = (year: number, m: number, value: number): PeriodReturn => ({
  year, month: m, value, periods: 30, first_on: `${year}-${String(m).padStart(2, "0")}-01`, last_on: `${year}-${String(m).padStart(2, "0")}-28`,
});

const data: CalendarReturns = {
  period: "ALL",
  months: [month(2024, 11, 0.04), month(2024, 12, -0.01), month(2025, 1, 0.002), month(2025, 2, 0)],
  years: [
    { year: 2024, month: null, value: 0.0296, periods: 61, first_on: "2024-11-01", last_on: "2024-12-31" },
    { year: 2025, month: null, value: 0.002, periods: 59, first_on: "2025-01-01", last_on: "2025-02-28" },
  ],
};

describe("MonthlyHeatmap", () => {
  it("lays out a row per year, newest first, with signed values coloured by size", () => {
    render(<MonthlyHeatmap data={data} />);
    const rows = screen.getAllByRole("row");
    expect(rows).toHaveLength(3); // the header and two years
    expect(within(rows[1]!).getByRole("rowheader")).toHaveTextContent("2025");
    const nov = screen.getByText("+4.0%");
    expect(nov).toHaveClass("heat--gain-4"); // the largest month sets the scale
    expect(nov).toHaveAttribute("data-month", "Nov");
    expect(screen.getByText("-1.0%")).toHaveClass("heat--loss-1");
    const [jan, year] = within(rows[1]!).getAllByText("+0.2%");
    expect(jan).toHaveClass("heat--gain-1");
    expect(year).toHaveClass("heatmap__year");
    expect(within(rows[1]!).getByText("0.0%")).toHaveClass("heat--flat");
    // The year's own return closes each row; a month without returns stays blank.
    expect(within(rows[2]!).getByText("+3.0%")).toHaveClass("heatmap__year");
    expect(within(rows[2]!).getAllByRole("cell")[0]).toHaveClass("heat--none");
  });

  it("says so when there is nothing yet", () => {
    render(<MonthlyHeatmap data={{ period: "ALL", months: [], years: [] }} />);
    expect(screen.getByText("No monthly returns yet.")).toBeInTheDocument();
  });
});
