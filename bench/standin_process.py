"""The stand-in Bot API (tests/support/botapi) in a process of its own, for benches that
run `waymark serve` as real processes (bench/soak.py, bench/memory.py).

    uv run python -m bench.standin_process --limits --faults 0.1 --record sends.jsonl

It prints `standin port=N` once it listens, and serves until SIGTERM or SIGINT; then it
writes every send it was asked for (one JSON object a line) to --record, and a summary
(`{"limit_429": ..., "faults": ...}`) to the file's name with `.summary.json`.

- `--limits`: Telegram's flood limits (30 messages a second for the bot, 1 a second per
  chat, in any rolling second), answered with 429 and a retry_after
  (tests/support/botapi_limits.py). Those 429s are the ones Waymark causes.
- `--faults P`: a share P of sends fails on purpose, in equal parts: 429 (retry after
  1 s), 500, 502, 403 (blocked by the person) and a time-out (the answer comes after
  the client has given up, and nothing is delivered). These are counted apart from the
  limits' 429s.
- Each worker may use its own address prefix (TELEGRAM_API_URL=http://...:N/w2-1): the
  stand-in notes which worker, and which start of it, sent each request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.support.botapi import JSON, BotAPIError, StandInBotAPI
from tests.support.botapi.wire import ERRORS
from tests.support.botapi_limits import RollingLimits

_SENDS = ("send", "copymessage", "forwardmessage")
FAULTS = ("429", "500", "502", "403", "timeout")


class FaultyStandIn(StandInBotAPI):
    def __init__(self, faults: float, timeout: float, seed: int) -> None:
        super().__init__()
        self.fault_share = faults
        self.timeout = timeout  # how long a time-out keeps the client waiting
        self.injected: Counter[str] = Counter()
        self.sends: list[dict[str, Any]] = []
        self._random = random.Random(seed)  # faults, not secrets
        self._fault_of: dict[int, str] = {}  # id(params) -> the fault chosen for it

    async def start(self, port: int = 0) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_tagged)
        app.router.add_route("*", "/{worker}/bot{token}/{method}", self._handle_tagged)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self._port = int(self._runner.addresses[0][1])

    async def _handle_tagged(self, request: web.Request) -> web.Response:
        response = await self._handle_method(request)
        # No await between the call's recording and here: the last call is this one.
        call = self._calls[-1] if self._calls else None
        self._calls.clear()  # `sends` keeps what a bench needs; memory stays flat
        if call is None:
            return response
        fault = self._fault_of.pop(id(call.params), "")
        if call.method.lower().startswith(_SENDS):
            self.sends.append(
                {
                    "at": call.time,
                    "method": call.method,
                    "chat_id": call.params.get("chat_id"),
                    "status": call.status,
                    "worker": request.match_info.get("worker", ""),
                    "fault": fault,
                }
            )
        return response

    def _fault(self, method: str, params: JSON) -> str:
        key = id(params)
        if key not in self._fault_of:
            sends = method.lower().startswith(_SENDS) and method.lower() != "sendchataction"
            hit = sends and self._random.random() < self.fault_share
            self._fault_of[key] = self._random.choice(FAULTS) if hit else ""
        return self._fault_of[key]

    async def apply_hold(self, method: str, params: JSON) -> None:
        if self._fault(method, params) == "timeout":
            self.injected["timeout"] += 1
            await asyncio.sleep(self.timeout)  # the client gave up long ago
            raise BotAPIError(504, "Gateway Timeout")
        await super().apply_hold(method, params)

    def apply_faults(self, method: str, params: JSON) -> None:
        fault = self._fault(method, params)
        if fault in ("", "timeout"):
            super().apply_faults(method, params)
            return
        self.injected[fault] += 1
        status = int(fault)
        if status == 429:
            raise BotAPIError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        raise BotAPIError(status, ERRORS[status])


async def serve(arguments: argparse.Namespace) -> FaultyStandIn:
    server = FaultyStandIn(arguments.faults, arguments.timeout, arguments.seed)
    if arguments.limits:
        server.limits = RollingLimits()
    await server.start(arguments.port)
    print(f"standin port={server._port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()
    return server


def write_record(server: FaultyStandIn, record: Path) -> None:
    with record.open("w") as out:
        for send in server.sends:
            out.write(json.dumps(send) + "\n")
    refused = dict(server.limits.refused) if server.limits else {}
    summary = {"limit_429": refused, "faults": dict(server.injected)}
    record.with_suffix(".summary.json").write_text(json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--limits", action="store_true", help="30/s per bot, 1/s per chat")
    parser.add_argument("--faults", type=float, default=0.0, help="share of sends that fail")
    parser.add_argument("--timeout", type=float, default=12.0, help="a time-out's wait (s)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--record", default="", help="where to write the sends at the end")
    arguments = parser.parse_args()
    server = asyncio.run(serve(arguments))
    if arguments.record:
        write_record(server, Path(arguments.record))


if __name__ == "__main__":
    main()
