import { useId } from "react";
import { useActivePortfolio } from "../hooks/ActivePortfolio";

/** Choose which portfolio the pages show; a compact select for the app bar. */
export function PortfolioSwitcher() {
  const { portfolios, active, setActiveId } = useActivePortfolio();
  const id = useId();
  const list = portfolios.data ?? [];
  let note: string | null = null;
  if (portfolios.status === "loading") note = "Loading…";
  else if (portfolios.status === "error" && !list.length) note = "Unavailable";
  else if (!list.length) note = "No portfolio yet";
  if (note) {
    return (
      <div className="switcher">
        <span className="switcher__label">Portfolio</span> <span className="switcher__note">{note}</span>
      </div>
    );
  }
  return (
    <div className="switcher">
      <label htmlFor={id}>Portfolio</label>
      <select id={id} value={active ? String(active.id) : ""} onChange={(e) => setActiveId(e.target.value)}>
        {list.map((p) => (
          <option key={p.id} value={String(p.id)}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
