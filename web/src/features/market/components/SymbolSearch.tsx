import { useEffect, useId, useState } from "react";
import { ErrorState, Loading } from "@/components/ui/States";
import { useDebounced } from "@/hooks/useDebounced";
import { useQuery } from "@/hooks/useQuery";
import { marketKeys, searchInstruments } from "../api/market";
import { firstHighlight, moveHighlight, onEnter } from "../utils/searchPick";

interface SymbolSearchProps {
  onSelect: (symbol: string) => void;
  label?: string;
}

/**
 * Search instruments by symbol or name; each result is a button that picks it.
 * The arrow keys move a highlight over the results and Enter picks the highlighted
 * one (the exact symbol match, else the top one), waiting for the search if needed.
 */
export function SymbolSearch({ onSelect, label = "Search stocks" }: SymbolSearchProps) {
  const id = useId();
  const [text, setText] = useState("");
  const [highlight, setHighlight] = useState(-1);
  // Enter pressed before the search answered: search the text now and pick when it lands.
  const [enterFor, setEnterFor] = useState<string | null>(null);
  const typed = text.trim();
  const debounced = useDebounced(typed, 300);
  const q = enterFor === typed ? typed : debounced;
  const results = useQuery(q ? marketKeys.search(q) : null, (signal) => searchInstruments(q, 8, signal));
  const found = q && results.status === "success" ? results.data : undefined;
  const active = found && highlight >= 0 && highlight < found.length ? highlight : firstHighlight(q, found ?? []);

  function pick(symbol: string) {
    onSelect(symbol);
    setText("");
    setHighlight(-1);
    setEnterFor(null);
  }

  function enter() {
    const outcome = onEnter(text, q, found, active);
    if (outcome.kind === "pick") pick(outcome.symbol);
    else setEnterFor(outcome.kind === "wait" ? typed : null);
  }

  // The search Enter waited for has answered: pick its highlighted result, or stay.
  useEffect(() => {
    if (enterFor === null || enterFor !== typed || q !== typed || !found) return;
    const outcome = onEnter(text, q, found, active);
    if (outcome.kind === "pick") pick(outcome.symbol);
    else setEnterFor(null);
  });

  return (
    <div className="search" role="search">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder="Symbol or company, e.g. AAPL"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setHighlight(-1);
          setEnterFor(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            enter();
          } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && found?.length) {
            e.preventDefault();
            setHighlight(moveHighlight(active, e.key === "ArrowDown" ? 1 : -1, found.length));
          } else if (e.key === "Escape") {
            setText("");
            setHighlight(-1);
            setEnterFor(null);
          }
        }}
        aria-describedby={`${id}-status`}
      />
      <div id={`${id}-status`} aria-live="polite" className="search__status">
        {q && results.status === "loading" && <Loading label="Searching…" />}
        {q && found?.length === 0 && <p>No instruments match “{q}”.</p>}
        {q && !!found?.length && (
          <p className="visually-hidden">
            {found.length} results; Enter picks {found[active]?.symbol}.
          </p>
        )}
      </div>
      {results.status === "error" && <ErrorState error={results.error} onRetry={results.reload} />}
      {q && !!found?.length && (
        <ul className="search__results">
          {found.map((i, index) => (
            <li key={i.symbol}>
              <button
                type="button"
                className={`search__result${index === active ? " search__result--active" : ""}`}
                aria-current={index === active ? "true" : undefined}
                onClick={() => pick(i.symbol)}
              >
                <strong>{i.symbol}</strong> <span>{i.name}</span>
                {i.exchange && <small>{i.exchange}</small>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
