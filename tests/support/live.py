"""Waymark running for real in a thread of its own, as `waymark serve` runs it: uvicorn,
the scheduler and the web chat in one event loop, on a loopback port, with a fixed clock
the test moves and dispatcher ticks the test asks for."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from bot.composition import Waymark
from web.server import listen, serve

T = TypeVar("T")


class LiveServer:
    def __init__(self, waymark: Waymark) -> None:
        self.waymark = waymark
        self._listener = listen("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-waymark", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._ready.set)
        self._loop.run_until_complete(serve(self.waymark, self._listener, self._stop))
        # Cancel what is left (sse-starlette's shutdown watcher), as asyncio.run does.
        left = asyncio.all_tasks(self._loop)
        for task in left:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))

    def __enter__(self) -> LiveServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)
        self._loop.close()

    def call(self, work: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run a coroutine on the server's own loop (a dispatcher tick, say) and wait."""
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)

    def tick(self) -> None:
        self.call(self.waymark.dispatcher.tick())
