import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { setDefaultLocale } from "@/lib/format";
import { DrawdownTable } from "./DrawdownTable";

setDefaultLocale("en-US");

describe("DrawdownTable", () => {
  it("lists each spell with its peak, trough, recovery, depth and length", () => {
    render(
      <DrawdownTable
        data={{
          period: "ALL",
          drawdowns: [
            { depth: -0.1834, peak_on: "2024-02-01", trough_on: "2024-03-15", recovery_on: null, days: 120, periods: 120 },
            { depth: -0.05, peak_on: "2023-12-30", trough_on: "2023-12-31", recovery_on: "2024-01-01", days: 1, periods: 1 },
          ],
        }}
      />,
    );
    const [, deepest, shallow] = screen.getAllByRole("row");
    expect(within(deepest!).getByText("-18.34%")).toHaveAttribute("data-label", "Depth");
    expect(within(deepest!).getByText("Feb 1, 2024")).toBeInTheDocument(); // a date, never shifted by the viewer's zone
    expect(within(deepest!).getByText("Not yet")).toBeInTheDocument();
    expect(within(deepest!).getByText("120 days")).toBeInTheDocument();
    expect(within(shallow!).getByText("Jan 1, 2024")).toBeInTheDocument();
    expect(within(shallow!).getByText("1 day")).toBeInTheDocument();
  });

  it("says so when the portfolio never fell", () => {
    render(<DrawdownTable data={{ period: "ALL", drawdowns: [] }} />);
    expect(screen.getByText("No drawdown so far.")).toBeInTheDocument();
  });
});
