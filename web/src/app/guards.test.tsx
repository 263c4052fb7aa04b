import { act, render, screen } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/lib/auth";
import { stubFetch } from "@/test/fakeFetch";
import { GuestOnly, RequireAuth } from "./guards";

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { element: <GuestOnly />, children: [{ path: "sign-in", element: <p>sign-in page</p> }] },
      { element: <RequireAuth />, children: [{ path: "settings", element: <p>settings page</p> }] },
    ],
    { initialEntries: [path] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

const signIn = () =>
  sessionStore().set({
    accessToken: "a",
    refreshToken: "r",
    expiresAt: 0,
    user: { id: 1, email: "a@example.com", username: "ann", display_name: "Ann", created_at: "2025-01-01T00:00:00Z" },
  });

describe("route guards", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    act(() => sessionStore().clear());
  });

  it("sends a signed-out visitor to sign-in", async () => {
    stubFetch(() => undefined);
    const router = renderAt("/settings");
    expect(await screen.findByText("sign-in page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/sign-in");
  });

  it("shows the page inside the app layout when signed in", async () => {
    stubFetch((c) => (c.path === "/portfolios" ? { status: 200, body: [] } : undefined));
    signIn();
    renderAt("/settings");
    expect(await screen.findByText("settings page")).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Main" })).toBeInTheDocument();
  });

  it("returns to sign-in when the session ends while using the app", async () => {
    stubFetch(() => undefined);
    signIn();
    const router = renderAt("/settings");
    await screen.findByText("settings page");
    act(() => sessionStore().clear("expired"));
    expect(await screen.findByText("sign-in page")).toBeInTheDocument();
    expect(router.state.location.state).toEqual({ from: "/settings" });
  });

  it("sends a signed-in user away from sign-in, back to where they were going", async () => {
    stubFetch(() => undefined);
    signIn();
    const router = createMemoryRouter(
      [
        { element: <GuestOnly />, children: [{ path: "sign-in", element: <p>sign-in page</p> }] },
        { path: "orders", element: <p>orders page</p> },
      ],
      { initialEntries: [{ pathname: "/sign-in", state: { from: "/orders" } }] },
    );
    render(<RouterProvider router={router} />);
    expect(await screen.findByText("orders page")).toBeInTheDocument();
  });
});
