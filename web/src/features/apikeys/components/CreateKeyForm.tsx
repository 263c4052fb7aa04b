import { useState, type FormEvent } from "react";
import { TextField } from "@/components/ui/Field";
import { useAction } from "@/hooks/useAction";
import { invalidate } from "@/hooks/useQuery";
import { fieldMessages } from "@/lib/errors";
import { apiKeyKeys, createApiKey } from "../api/apiKeys";
import type { IssuedKey } from "../types";
import { checkKeyName, describeKeyError, normalizeKeyName } from "../utils/keys";

interface CreateKeyFormProps {
  portfolioId: number;
  onCreated: (issued: IssuedKey) => void;
}

/** Name a new key and create it; the caller shows the secret the answer carries. */
export function CreateKeyForm({ portfolioId, onCreated }: CreateKeyFormProps) {
  const [name, setName] = useState("");
  const [local, setLocal] = useState<string | null>(null);
  const action = useAction(async (text: string) => {
    const issued = await createApiKey(portfolioId, text);
    invalidate(apiKeyKeys.list(portfolioId));
    return issued;
  });
  const fieldError = local ?? fieldMessages(action.error).name;
  // A refused name shows under the input; anything else (409, 403, network) above the form.
  const formError = action.error !== undefined && !fieldMessages(action.error).name ? action.error : undefined;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problem = checkKeyName(name);
    setLocal(problem);
    if (problem) return;
    action.reset();
    const issued = await action.run(normalizeKeyName(name));
    if (issued) {
      setName("");
      onCreated(issued);
    }
  }

  return (
    <form className="form form--inline" onSubmit={onSubmit} noValidate aria-labelledby="create-key-title">
      {formError !== undefined && (
        <p className="form-error" role="alert">
          {describeKeyError(formError)}
        </p>
      )}
      <TextField
        label="Key name"
        name="name"
        autoComplete="off"
        spellCheck={false}
        value={name}
        placeholder="sma-bot"
        onChange={(e) => {
          setName(e.target.value);
          if (local) setLocal(null);
        }}
        error={fieldError}
        hint="What will use the key, so you recognise it later (up to 64 characters)."
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={action.pending}>
          {action.pending ? "Creating…" : "Create API key"}
        </button>
      </div>
    </form>
  );
}
