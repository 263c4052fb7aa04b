import { describe, expect, it } from "vitest";
import { createSseParser, readSse, type SseEvent } from "./sse";

function collect(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  chunks.forEach((c) => parser.push(c));
  return events;
}

describe("SSE parser", () => {
  it("dispatches named events on a blank line", () => {
    expect(collect(['event: quote\ndata: {"symbol":"AAPL"}\n\n'])).toEqual([
      { event: "quote", data: '{"symbol":"AAPL"}', id: null },
    ]);
  });

  it("joins multi-line data, ignores comments and handles split chunks and CRLF", () => {
    const events = collect([": keep-alive\r\n", "id: 7\r\nda", "ta: a\r\ndata: b\r", "\n\r\n", "data: c\n\n"]);
    expect(events).toEqual([
      { event: "message", data: "a\nb", id: "7" },
      { event: "message", data: "c", id: "7" },
    ]);
  });

  it("does not dispatch an event without data", () => {
    expect(collect(["event: quote\n\n"])).toEqual([]);
  });

  it("reads a streamed response body", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const enc = new TextEncoder();
        controller.enqueue(enc.encode("retry: 3000\nevent: quote\ndata: 1\n\n"));
        controller.enqueue(enc.encode("event: quote\ndata: 2\n\n"));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    const retry = await readSse(new Response(body), (e) => events.push(e));
    expect(events.map((e) => e.data)).toEqual(["1", "2"]);
    expect(retry).toBe(3000);
  });
});
