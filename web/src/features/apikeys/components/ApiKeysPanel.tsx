import { useState } from "react";
import { useQuery } from "@/hooks/useQuery";
import { apiKeyKeys, listApiKeys } from "../api/apiKeys";
import type { IssuedKey } from "../types";
import { MAX_ACTIVE_KEYS } from "../utils/keys";
import { ApiKeyList } from "./ApiKeyList";
import { ConnectionDetails } from "./ConnectionDetails";
import { CreateKeyForm } from "./CreateKeyForm";
import { NewKeyPanel } from "./NewKeyPanel";
import "../apikeys.css";

interface ApiKeysPanelProps {
  portfolioId: number;
  /** False when the portfolio's rules (a challenge's) forbid trading through the API. */
  apiTrading: boolean;
  /** The app's origin, which the bot's base URLs start with. */
  origin: string;
}

/** A portfolio's API keys: create one (its secret shown once), list and revoke them, and how to connect. */
export function ApiKeysPanel({ portfolioId, apiTrading, origin }: ApiKeysPanelProps) {
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const keys = useQuery(apiKeyKeys.list(portfolioId), (signal) => listApiKeys(portfolioId, signal));
  const active = keys.data?.filter((k) => k.status === "active").length;
  return (
    <>
      {issued && <NewKeyPanel issued={issued} origin={origin} onDone={() => setIssued(null)} />}
      <div className="grid grid--2-1">
        <div>
          <section className="card" aria-labelledby="create-key-title">
            <h2 id="create-key-title">Create an API key</h2>
            {apiTrading ? (
              <CreateKeyForm portfolioId={portfolioId} onCreated={setIssued} />
            ) : (
              <p className="notice">
                This challenge doesn't allow trading through the API, so its portfolio can't have API keys.
              </p>
            )}
          </section>
          <section className="card" aria-labelledby="keys-title">
            <div className="card__head">
              <h2 id="keys-title">Your API keys</h2>
              {active !== undefined && (
                <span className="muted">
                  {active} of {MAX_ACTIVE_KEYS} active
                </span>
              )}
            </div>
            <ApiKeyList portfolioId={portfolioId} keys={keys} />
          </section>
        </div>
        <section className="card" aria-labelledby="connect-title">
          <h2 id="connect-title">Connect a bot</h2>
          <p className="muted">
            invsim speaks Alpaca's Trading API v2. Point an Alpaca client at these URLs and send a key's ID and secret in
            the headers.
          </p>
          <ConnectionDetails origin={origin} />
        </section>
      </div>
    </>
  );
}
