import { useSyncExternalStore } from "react";
import { sessionStore, type Session } from "@/lib/auth";

const subscribe = (listener: () => void) => sessionStore().subscribe(listener);
const snapshot = () => sessionStore().get();

/** The current session (null when signed out); re-renders when it changes in any tab. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
