import { useId } from "react";
import { useActivePortfolio } from "../hooks/ActivePortfolio";

/** Choose which portfolio the pages show; a compact select for the app bar (challenge portfolios grouped). */
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
  const own = list.filter((p) => p.kind !== "challenge");
  const challenges = list.filter((p) => p.kind === "challenge");
  const option = (p: (typeof list)[number]) => (
    <option key={p.id} value={String(p.id)}>
      {p.name}
    </option>
  );
  return (
    <div className="switcher">
      <label htmlFor={id}>Portfolio</label>
      <select id={id} value={active ? String(active.id) : ""} onChange={(e) => setActiveId(e.target.value)}>
        {challenges.length ? (
          <>
            <optgroup label="Your portfolios">{own.map(option)}</optgroup>
            <optgroup label="Challenges">{challenges.map(option)}</optgroup>
          </>
        ) : (
          own.map(option)
        )}
      </select>
    </div>
  );
}
