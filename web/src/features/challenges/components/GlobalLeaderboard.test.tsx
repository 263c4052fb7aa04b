import { render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import { GlobalLeaderboard } from "./GlobalLeaderboard";

const entry = (rank: number, user_id: number, display_name: string) => ({
  rank, user_id, username: display_name.toLowerCase(), display_name, return_pct: "0.05", equity: "105000.00",
  challenge_id: null, portfolio_id: user_id,
});

describe("GlobalLeaderboard", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("ranks both lists in the leaderboard table and marks your row", async () => {
    const { calls } = stubFetch((c) =>
      c.path.startsWith("/leaderboard")
        ? { status: 200, body: { period: "30d", computed_at: "2026-01-02T15:00:00Z", challenges: [], portfolios: [entry(1, 7, "Ann"), entry(2, 8, "Ben")] } }
        : undefined,
    );
    render(<GlobalLeaderboard myId={8} />);
    const portfolios = (await screen.findByRole("heading", { name: "Portfolios" })).closest("section")!;
    const rows = within(portfolios).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[2]!).getByRole("rowheader")).toHaveTextContent("BenYou");
    expect(rows[2]).toHaveAttribute("aria-current", "true");
    const players = screen.getByRole("heading", { name: "Challenge players" }).closest("section")!;
    expect(within(players).getByText("Nobody is ranked yet.")).toBeInTheDocument();
    expect(calls[0]!.path).toBe("/leaderboard?period=30d");
  });
});
