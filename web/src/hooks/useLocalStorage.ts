import { useCallback, useState } from "react";
import { browserStorage } from "@/lib/auth";

/** A string preference kept in localStorage (e.g. the active portfolio). */
export function useLocalStorage(key: string, initial: string | null = null): [string | null, (v: string | null) => void] {
  const [value, setValue] = useState<string | null>(() => browserStorage()?.getItem(key) ?? initial);
  const update = useCallback(
    (next: string | null) => {
      setValue(next);
      try {
        if (next === null) browserStorage()?.removeItem(key);
        else browserStorage()?.setItem(key, next);
      } catch {
        // Storage blocked: keep the value for this page view only.
      }
    },
    [key],
  );
  return [value, update];
}
