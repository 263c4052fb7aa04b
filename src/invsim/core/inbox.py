"""A bounded inbox for one stream client: a slow reader loses its oldest messages,
and never blocks the publisher (used by the SSE hub and the Alpaca websockets)."""

from __future__ import annotations

import queue


class Inbox:
    """A drop-oldest queue of text messages."""

    drain_limit = 64  # how many queued messages one `drain` hands over at most

    def __init__(self, size: int) -> None:
        self.inbox: queue.Queue[str] = queue.Queue(maxsize=size)

    def offer(self, message: str) -> None:
        """Queue a message, dropping the oldest one when the reader is behind."""
        while True:
            try:
                self.inbox.put_nowait(message)
                return
            except queue.Full:
                try:
                    self.inbox.get_nowait()
                except queue.Empty:
                    pass

    def next(self, timeout: float) -> str | None:
        """Return the next message, or None after `timeout` seconds of silence."""
        try:
            return self.inbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def drain(self, timeout: float) -> list[str]:
        """Wait up to `timeout` for a message, then take whatever else is already queued."""
        first = self.next(timeout)
        if first is None:
            return []
        messages = [first]
        while len(messages) < self.drain_limit:
            try:
                messages.append(self.inbox.get_nowait())
            except queue.Empty:
                break
        return messages
