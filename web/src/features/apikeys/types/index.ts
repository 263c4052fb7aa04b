/** `ApiKeyOut`: a key as listed (never its secret). Times are ISO 8601 UTC. */
export interface ApiKey {
  /** The public id, `PK` + 18 characters (Alpaca's `APCA-API-KEY-ID`). */
  key_id: string;
  name: string;
  portfolio_id: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  status: "active" | "revoked";
}

/** `IssuedKeyOut`: a new key with its secret, which the server returns only once. */
export interface IssuedKey extends ApiKey {
  secret: string;
}
