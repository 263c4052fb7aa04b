/**
 * A Server-Sent Events reader over fetch (EventSource can't send a Bearer token).
 * Follows the HTML spec's parsing: `event:`, `data:` (joined by newlines), `id:`,
 * `retry:`, comments (`:`) and blank-line dispatch, with CRLF/LF/CR line ends.
 */

export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

export interface SseParser {
  push(chunk: string): void;
  /** Milliseconds the server asked to wait before reconnecting, if it said. */
  retry(): number | null;
}

/** Create a parser that calls `onEvent` for each complete event in the pushed text. */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let buffer = "";
  let data: string[] = [];
  let event = "";
  let lastId: string | null = null;
  let retry: number | null = null;
  let afterCR = false;

  function dispatch() {
    if (data.length) onEvent({ event: event || "message", data: data.join("\n"), id: lastId });
    data = [];
    event = "";
  }

  function line(text: string) {
    if (text === "") return dispatch();
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\0")) lastId = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }

  return {
    push(chunk) {
      // A chunk that ended in "\r" already ended its line; a "\n" now is the rest of that CRLF.
      if (afterCR && chunk.startsWith("\n")) chunk = chunk.slice(1);
      afterCR = chunk.endsWith("\r");
      buffer += chunk;
      const parts = buffer.split(/\r\n|\r|\n/);
      buffer = parts.pop() ?? "";
      for (const part of parts) line(part);
    },
    retry: () => retry,
  };
}

/** Read an event stream response until it ends or `signal` aborts. */
export async function readSse(response: Response, onEvent: (event: SseEvent) => void, signal?: AbortSignal): Promise<number | null> {
  if (!response.body) throw new Error("The stream has no body.");
  const parser = createSseParser(onEvent);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", stop);
  }
  return parser.retry();
}
