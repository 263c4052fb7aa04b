"""Each user's token version and active flag in the key-value store, so a request needs no user row.

An access token is good while its user is active and its `ver` claim equals the
user's `token_version` (signing out everywhere or changing the password moves the
version on). The token check reads that pair from the store in the same round trip
as the revocation list; only a miss, or a pair that refuses the token, reads the users
table (the row has the last word).

Staying correct across workers: the writer stores the new pair (overwriting) inside
its transaction and again after the commit, and a reader that missed stores what it
read only if the key is still absent. A reader that read the old row can then never
overwrite the writer's newer pair, so once the revoking request has answered, every
worker refuses the old tokens. A pair that refuses a token is checked against the row,
so a writer that rolls back after storing leaves the old tokens working. If the store
is down the revocation fails whole (503), as the revocation list does.
"""

from __future__ import annotations

from dataclasses import dataclass

from invsim.core.kvstore import KeyValueStore

STATE_TTL_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class TokenState:
    """What the token check needs to know about a user."""

    version: int
    active: bool

    def accepts(self, token_version: int) -> bool:
        """Tell whether a token minted at `token_version` is still good for this user."""
        return self.active and self.version == token_version

    def encode(self) -> str:
        """Return the stored form, e.g. `3:1`."""
        return f"{self.version}:{int(self.active)}"

    @classmethod
    def decode(cls, value: str) -> TokenState | None:
        """Read the stored form; None when it is not one (read the row instead)."""
        version, _, active = value.partition(":")
        if not version.lstrip("-").isdigit() or active not in ("0", "1"):
            return None
        return cls(int(version), active == "1")


def state_key(user_id: int) -> str:
    """Return the store key of a user's token state."""
    return f"auth:user:{user_id}"


class TokenStates:
    """Reads and writes users' token states in the key-value store."""

    def __init__(self, store: KeyValueStore) -> None:
        self._store = store

    def remember(self, user_id: int, state: TokenState) -> None:
        """Store what a reader read from the row, unless a writer stored a newer state first."""
        self._store.set_if_absent(state_key(user_id), state.encode(), STATE_TTL_SECONDS)

    def changed(self, user_id: int, state: TokenState) -> None:
        """Store a user's committed new state (overwriting), for every worker at once."""
        self._store.set(state_key(user_id), state.encode(), STATE_TTL_SECONDS)
