"""Where a sweep's chunks run: in this process, in a local process pool, or on Celery workers.

Embedded (`make run`, the CLI) a sweep runs in-process or on a 2-process pool
(`local_executor`). In production `CeleryExecutor` fans the chunks out over the
Celery workers (more workers, faster sweep) and gathers each chunk's result
exactly once, even when a worker dies:

- the sweep's inputs (built-in strategy name, bars, account) are stored once in
  Redis under the sweep's id; each task carries only its chunk id and parameters;
- tasks are `acks_late` with `reject_on_worker_lost`: a chunk whose worker dies
  mid-run goes back on the queue and runs again elsewhere;
- a chunk's result is stored with HSETNX under its chunk id: the first finished
  run wins, a redelivered or re-sent duplicate (same inputs, same deterministic
  result) changes nothing, and the gatherer reads one result per chunk id;
- the gatherer re-sends a chunk that has no result after `retry_after` seconds
  (a message lost with its worker), and gives up with SweepError at `timeout`;
  a chunk that raised on a worker (same inputs fail the same way) is reported
  at once as a SweepError naming the chunk and the error.

Only built-in strategies fan out: a worker never runs a user's code.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from decimal import Decimal
from typing import Any

from celery import Celery, Task

from invsim.backtest.bars import OHLCV, BarSeries, Panel, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.sweep import Chunk, SweepError, run_chunk
from invsim.trading.engine.costs import CommissionKind, CommissionModel
from invsim.trading.engine.margin import MarginRates
from invsim.trading.engine.rules import AccountType, TradingRules

TASK_NAME = "invsim.backtest.sweep_chunk"
KEY_PREFIX = "invsim:sweep:"
KEY_TTL_SECONDS = 3600  # a sweep's keys expire on their own if its gatherer died
DEFAULT_TIMEOUT = 3600.0
DEFAULT_RETRY_AFTER = 300.0


def local_executor(workers: int) -> ProcessPoolExecutor | None:
    """Return the embedded executor: None (in this process) for 1 worker, else a process pool."""
    if workers < 1:
        raise SweepError("workers must be at least 1")
    return None if workers == 1 else ProcessPoolExecutor(workers)


# --- keys ---------------------------------------------------------------------------------------

def input_key(sweep_id: str) -> str:
    """Return the key of a sweep's shared inputs."""
    return f"{KEY_PREFIX}{sweep_id}:input"


def results_key(sweep_id: str) -> str:
    """Return the hash of a sweep's chunk results (field = chunk id)."""
    return f"{KEY_PREFIX}{sweep_id}:results"


def errors_key(sweep_id: str) -> str:
    """Return the hash of chunks that failed on a worker (field = chunk id, value = why)."""
    return f"{KEY_PREFIX}{sweep_id}:errors"


def runs_key(sweep_id: str) -> str:
    """Return the hash counting how often each chunk started (redeliveries show here)."""
    return f"{KEY_PREFIX}{sweep_id}:runs"


# --- the wire form of a chunk's inputs -------------------------------------------------------

def encode_panel(panel: Panel) -> dict[str, list[list[str]]]:
    """Return the bars as JSON-ready text (exact Decimals, ISO instants)."""
    return {symbol: [[b.at.isoformat(), str(b.open), str(b.high), str(b.low), str(b.close),
                      str(b.volume)] for b in series.bars]
            for symbol, series in panel.series.items()}


def decode_panel(data: Mapping[str, Sequence[Sequence[str]]]) -> Panel:
    """Rebuild (and re-validate) a panel from its wire form."""
    return align([BarSeries(symbol, tuple(
        OHLCV(datetime.fromisoformat(at), Decimal(o), Decimal(h), Decimal(lo), Decimal(c),
              Decimal(v)) for at, o, h, lo, c, v in bars))
        for symbol, bars in data.items()])


def encode_broker(config: BrokerConfig) -> dict[str, Any]:
    """Return an account's terms as JSON-ready data."""
    rules, fee, rates = config.rules, config.rules.commission, config.margin_rates
    return {
        "cash": str(config.cash), "margin_interest_rate": str(config.margin_interest_rate),
        "margin_rates": [str(rates.initial), str(rates.maintenance_long),
                         str(rates.maintenance_short)],
        "commission": {"kind": fee.kind.value, "amount": str(fee.amount),
                       "rate": str(fee.rate), "minimum": str(fee.minimum)},
        "slippage_bps": str(rules.slippage_bps), "max_volume_share": _text(rules.max_volume_share),
        "fractional": rules.fractional, "market_buy_buffer": str(rules.market_buy_buffer),
        "account_type": rules.account_type.value, "allow_short": rules.allow_short,
        "min_price": _text(rules.min_price), "max_position_pct": _text(rules.max_position_pct),
    }


def decode_broker(data: Mapping[str, Any]) -> BrokerConfig:
    """Rebuild an account's terms from their wire form."""
    fee = data["commission"]
    rules = TradingRules(
        commission=CommissionModel(CommissionKind(fee["kind"]), amount=Decimal(fee["amount"]),
                                   rate=Decimal(fee["rate"]), minimum=Decimal(fee["minimum"])),
        slippage_bps=Decimal(data["slippage_bps"]),
        max_volume_share=_decimal(data["max_volume_share"]), fractional=data["fractional"],
        market_buy_buffer=Decimal(data["market_buy_buffer"]),
        account_type=AccountType(data["account_type"]), allow_short=data["allow_short"],
        min_price=_decimal(data["min_price"]), max_position_pct=_decimal(data["max_position_pct"]))
    initial, long, short = (Decimal(v) for v in data["margin_rates"])
    return BrokerConfig(cash=Decimal(data["cash"]), rules=rules,
                        margin_rates=MarginRates(initial, long, short),
                        margin_interest_rate=Decimal(data["margin_interest_rate"]))


def encode_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Return resolved parameters as JSON (Decimals as text; the worker resolves them again)."""
    return {k: _plain(v) for k, v in params.items()}


def _plain(value: Any) -> Any:
    """Return a JSON-ready parameter value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _text(value: Decimal | None) -> str | None:
    """Return an optional Decimal as text."""
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    """Return optional text as a Decimal."""
    return None if value is None else Decimal(value)


def encode_input(chunk: Chunk) -> str:
    """Return the inputs every chunk of a sweep shares, as one JSON document."""
    name = chunk.strategy.name
    if BUILTINS.get(name) is not chunk.strategy:
        raise SweepError(f"only built-in strategies run on the workers, not {name or 'this one'}")
    return json.dumps({"strategy": name, "broker": encode_broker(chunk.broker),
                       "benchmark": chunk.benchmark, "bars": encode_panel(chunk.panel)})


# --- the worker side ------------------------------------------------------------------------

class _Inputs:
    """The last few sweeps' decoded inputs of this worker process (decoding bars costs)."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.kept: dict[str, tuple[Any, BrokerConfig, Panel, str | None]] = {}

    def get(self, sweep_id: str, raw: bytes) -> tuple[Any, BrokerConfig, Panel, str | None]:
        """Return a sweep's strategy, account, bars and benchmark."""
        if sweep_id not in self.kept:
            data = json.loads(raw)
            if len(self.kept) >= self.size:
                self.kept.pop(next(iter(self.kept)))
            self.kept[sweep_id] = (BUILTINS[data["strategy"]], decode_broker(data["broker"]),
                                   decode_panel(data["bars"]), data["benchmark"])
        return self.kept[sweep_id]


_INPUTS = _Inputs()


def run_stored_chunk(client: Any, sweep_id: str, chunk_id: int,
                     params: Sequence[Mapping[str, Any]]) -> bool:
    """Run one chunk from the inputs in Redis and store its result once; False if not run."""
    field = str(chunk_id)
    if client.hexists(results_key(sweep_id), field):
        return False  # a redelivery of a finished chunk: its result is already kept
    raw = client.get(input_key(sweep_id))
    if raw is None:
        return False  # the sweep is gone (expired or abandoned): nothing to do
    client.hincrby(runs_key(sweep_id), field, 1)
    client.expire(runs_key(sweep_id), KEY_TTL_SECONDS)
    try:
        strategy, broker, panel, benchmark = _INPUTS.get(sweep_id, raw)
        rows = run_chunk(Chunk(strategy, broker, panel, benchmark,
                               tuple(dict(p) for p in params)))
    except Exception as error:
        # deterministic inputs fail the same way every time: tell the gatherer, do not retry
        client.hsetnx(errors_key(sweep_id), field, f"{type(error).__name__}: {error}"[:500])
        client.expire(errors_key(sweep_id), KEY_TTL_SECONDS)
        raise
    stored = bool(client.hsetnx(results_key(sweep_id), field, json.dumps(rows)))
    client.expire(results_key(sweep_id), KEY_TTL_SECONDS)
    return stored


def register_sweep_tasks(celery: Celery, redis_url: str | None = None) -> Task:
    """Add the sweep chunk task to a Celery app (call it from `invsim.worker.create_celery`)."""
    clients: dict[str, Any] = {}

    def client() -> Any:
        import redis

        url = redis_url or str(celery.conf.broker_url)
        if url not in clients:
            clients[url] = redis.Redis.from_url(url)
        return clients[url]

    @celery.task(name=TASK_NAME, acks_late=True, reject_on_worker_lost=True,  # type: ignore[untyped-decorator]
                 ignore_result=True, shared=False)
    def sweep_chunk(sweep_id: str, chunk_id: int, params: list[dict[str, Any]]) -> None:
        """Run one chunk of a sweep and keep its result under its chunk id (once)."""
        run_stored_chunk(client(), sweep_id, chunk_id, params)

    task: Task = sweep_chunk
    return task


# --- the gathering side ---------------------------------------------------------------------

class CeleryExecutor:
    """An executor for `run_sweep`/`walk_forward` that runs the chunks on Celery workers."""

    def __init__(self, celery: Celery, client: Any, *, queue: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, retry_after: float = DEFAULT_RETRY_AFTER,
                 poll_seconds: float = 0.05) -> None:
        self.celery = celery
        self.client = client
        self.queue = queue
        self.timeout = timeout
        self.retry_after = retry_after
        self.poll_seconds = poll_seconds
        self.last_sweep_id: str | None = None
        self.resent: list[int] = []

    def map(self, fn: Callable[[Chunk], list[dict[str, Any]]],
            *iterables: Iterable[Chunk]) -> Iterator[list[dict[str, Any]]]:
        """Send every chunk, then yield their results in order as they arrive."""
        if fn is not run_chunk or len(iterables) != 1:
            raise SweepError("the Celery executor runs sweep chunks only")
        chunks = list(iterables[0])
        if not chunks:
            return iter(())
        sweep_id = self.start(chunks)
        return self.gather(sweep_id, chunks)

    def start(self, chunks: Sequence[Chunk]) -> str:
        """Store the shared inputs and send one task per chunk; return the sweep id."""
        first = chunks[0]
        if any(c.strategy is not first.strategy or c.panel is not first.panel
               or c.broker != first.broker or c.benchmark != first.benchmark for c in chunks):
            raise SweepError("the chunks of one fan-out must share strategy, bars and account")
        sweep_id = uuid.uuid4().hex
        self.client.set(input_key(sweep_id), encode_input(first),
                        ex=int(self.timeout) + KEY_TTL_SECONDS)
        self.last_sweep_id, self.resent = sweep_id, []
        for chunk_id, chunk in enumerate(chunks):
            self.send(sweep_id, chunk_id, chunk)
        return sweep_id

    def send(self, sweep_id: str, chunk_id: int, chunk: Chunk) -> None:
        """Queue one chunk's task."""
        self.celery.send_task(TASK_NAME, args=[sweep_id, chunk_id,
                                               [encode_params(p) for p in chunk.params]],
                              queue=self.queue)

    def gather(self, sweep_id: str, chunks: Sequence[Chunk]) -> Iterator[list[dict[str, Any]]]:
        """Yield each chunk's stored result once, in chunk order; re-send the overdue ones."""
        began = sent = time.monotonic()
        next_id = 0
        try:
            while next_id < len(chunks):
                raw = self.client.hget(results_key(sweep_id), str(next_id))
                if raw is not None:
                    yield json.loads(raw)
                    next_id += 1
                    continue
                failed = self.client.hget(errors_key(sweep_id), str(next_id))
                if failed is not None:
                    raise SweepError(f"chunk {next_id} failed on a worker: "
                                     f"{failed.decode()}")
                now = time.monotonic()
                if now - began > self.timeout:
                    raise SweepError(f"the sweep's workers did not finish within "
                                     f"{self.timeout:.0f} s ({next_id} of {len(chunks)} "
                                     "chunks done)")
                if now - sent > self.retry_after:
                    self._resend_missing(sweep_id, chunks)
                    sent = now
                time.sleep(self.poll_seconds)
        finally:
            self.client.delete(input_key(sweep_id))

    def _resend_missing(self, sweep_id: str, chunks: Sequence[Chunk]) -> None:
        """Send again every chunk that has no result yet (a duplicate run stores nothing)."""
        done = {int(k) for k in self.client.hkeys(results_key(sweep_id))}
        for chunk_id, chunk in enumerate(chunks):
            if chunk_id not in done:
                self.resent.append(chunk_id)
                self.send(sweep_id, chunk_id, chunk)
