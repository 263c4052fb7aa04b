import { useCallback, useState } from "react";

export interface Copier {
  /** Put `value` on the clipboard; `what` names it in the announcement ("key ID"). */
  copy: (what: string, value: string) => Promise<void>;
  /** The last outcome, for a role=status line (empty before the first copy). */
  message: string;
}

/** Copy to the clipboard and say what happened (the Clipboard API needs a secure context). */
export function useCopy(): Copier {
  const [message, setMessage] = useState("");
  const copy = useCallback(async (what: string, value: string) => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(value);
      setMessage(`Copied the ${what}.`);
    } catch {
      setMessage(`Couldn't copy the ${what}: select it and copy it by hand.`);
    }
  }, []);
  return { copy, message };
}
