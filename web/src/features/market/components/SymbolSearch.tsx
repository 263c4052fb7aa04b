import { useId, useState } from "react";
import { ErrorState, Loading } from "@/components/ui/States";
import { useDebounced } from "@/hooks/useDebounced";
import { useQuery } from "@/hooks/useQuery";
import { marketKeys, searchInstruments } from "../api/market";

interface SymbolSearchProps {
  onSelect: (symbol: string) => void;
  label?: string;
}

/** Search instruments by symbol or name; each result is a button that picks it. */
export function SymbolSearch({ onSelect, label = "Search stocks" }: SymbolSearchProps) {
  const id = useId();
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 300);
  const results = useQuery(q ? marketKeys.search(q) : null, (signal) => searchInstruments(q, 8, signal));

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
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter on a bare ticker picks it without waiting for the search.
          if (e.key === "Enter" && /^[A-Za-z][A-Za-z0-9.-]{0,14}$/.test(text.trim())) {
            e.preventDefault();
            onSelect(text.trim().toUpperCase());
          }
        }}
        aria-describedby={`${id}-status`}
      />
      <div id={`${id}-status`} aria-live="polite" className="search__status">
        {q && results.status === "loading" && <Loading label="Searching…" />}
        {q && results.status === "success" && results.data?.length === 0 && <p>No instruments match “{q}”.</p>}
        {q && results.status === "success" && !!results.data?.length && (
          <p className="visually-hidden">{results.data.length} results</p>
        )}
      </div>
      {results.status === "error" && <ErrorState error={results.error} onRetry={results.reload} />}
      {q && !!results.data?.length && (
        <ul className="search__results">
          {results.data.map((i) => (
            <li key={i.symbol}>
              <button
                type="button"
                className="search__result"
                onClick={() => {
                  onSelect(i.symbol);
                  setText("");
                }}
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
