import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import { SymbolSearch } from "./SymbolSearch";

const NVDA = { symbol: "NVDA", name: "NVIDIA Corporation", exchange: "NASDAQ" };
const AAPL = { symbol: "AAPL", name: "Apple Inc.", exchange: "NASDAQ" };

function stubSearch() {
  return stubFetch((c) => {
    if (!c.path.startsWith("/market/instruments")) return undefined;
    const q = new URL(c.path, "http://x").searchParams.get("q")?.toLowerCase() ?? "";
    const all = [NVDA, AAPL, { symbol: "A", name: "Agilent", exchange: "NYSE" }];
    return { status: 200, body: { instruments: all.filter((i) => i.symbol.toLowerCase().startsWith(q) || i.name.toLowerCase().includes(q)) } };
  });
}

describe("SymbolSearch", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("picks the one suggestion on Enter, even before the search answered", async () => {
    stubSearch();
    const chosen = vi.fn();
    const u = userEvent.setup();
    render(<SymbolSearch onSelect={chosen} />);
    await u.type(screen.getByLabelText("Search stocks"), "nvidia{Enter}");
    await vi.waitFor(() => expect(chosen).toHaveBeenCalledWith("NVDA"));
    expect(chosen).toHaveBeenCalledTimes(1);
  });

  it("moves the highlight with the arrow keys and Enter picks it", async () => {
    stubSearch();
    const chosen = vi.fn();
    const u = userEvent.setup();
    render(<SymbolSearch onSelect={chosen} />);
    await u.type(screen.getByLabelText("Search stocks"), "a");
    // The exact symbol comes first in the highlight, whatever the order of the results.
    expect(await screen.findByRole("button", { name: /^A Agilent/, current: true })).toBeInTheDocument();
    await u.keyboard("{ArrowUp}{Enter}");
    expect(chosen).toHaveBeenCalledWith("AAPL");
  });

  it("stays put when nothing matches", async () => {
    stubSearch();
    const chosen = vi.fn();
    const u = userEvent.setup();
    render(<SymbolSearch onSelect={chosen} />);
    await u.type(screen.getByLabelText("Search stocks"), "zzzz{Enter}");
    expect(await screen.findByText("No instruments match “zzzz”.")).toBeInTheDocument();
    expect(chosen).not.toHaveBeenCalled();
  });
});
