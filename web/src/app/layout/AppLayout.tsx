import { useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation } from "react-router";
import { fetchMe, logout } from "@/features/auth/api/auth";
import { MarketClockBadge } from "@/features/market/components/MarketClockBadge";
import { PortfolioSwitcher } from "@/features/portfolios/components/PortfolioSwitcher";
import { useSession } from "@/hooks/useSession";
import { Logo } from "./Logo";

const NAV = [
  { to: "/", label: "Dashboard", end: true },
  { to: "/trade", label: "Trade" },
  { to: "/orders", label: "Orders" },
  { to: "/analytics", label: "Analytics" },
  { to: "/backtest", label: "Backtest" },
  { to: "/challenges", label: "Challenges" },
  { to: "/leaderboard", label: "Leaderboard" },
  { to: "/settings", label: "Settings" },
];

/** The signed-in frame: skip link, app bar with nav and portfolio switcher, then the page. */
export function AppLayout() {
  const session = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    // Refresh the stored user (display name may have changed on another device).
    const controller = new AbortController();
    fetchMe(controller.signal).catch(() => undefined);
    return () => controller.abort();
  }, []);

  useEffect(() => {
    setMenuOpen(false);
    // Move focus to the new page so screen readers announce it; not on first load.
    if (firstRender.current) firstRender.current = false;
    else main.current?.focus();
  }, [location.pathname]);

  const user = session?.user;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="appbar">
        <div className="appbar__row">
          <Link to="/" className="appbar__brand" aria-label="invsim home">
            <Logo />
          </Link>
          <button
            type="button"
            className="appbar__menu button button--secondary"
            aria-expanded={menuOpen}
            aria-controls="primary-nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            Menu
          </button>
          <div className="appbar__tools">
            <PortfolioSwitcher />
            <MarketClockBadge />
          </div>
        </div>
        <nav id="primary-nav" className={`nav${menuOpen ? " nav--open" : ""}`} aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
          <div className="nav__user">
            <span className="nav__name" title={user?.email}>
              {user?.display_name || user?.username || "Signed in"}
            </span>
            <button type="button" className="button button--secondary button--small" onClick={() => void logout()}>
              Sign out
            </button>
          </div>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="page">
        <Outlet />
      </main>
      <footer className="app-footer">
        <span>Simulated trading: no real money is involved.</span> <a href="/api/docs">API documentation</a>
      </footer>
    </div>
  );
}
