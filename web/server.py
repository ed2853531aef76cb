"""Running Waymark: the bot, the scheduler and the web app (webhook, /healthz) under
uvicorn, all in one event loop, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Iterator
from typing import Protocol

import uvicorn

from web.app import create_app
from web.deps import Site

log = logging.getLogger(__name__)


class Running(Site, Protocol):
    """What `serve` runs: the web app's parts, and starting and stopping the rest."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class WebServer(uvicorn.Server):
    """uvicorn without signal handlers of its own: one signal stops the bot, the
    scheduler and the web app together, in that order of our choosing."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, opened first so that a port in use is a clear error before
    anything starts. Connections that come before uvicorn is up wait in its backlog."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    listener.setblocking(False)
    return listener


async def serve(
    waymark: Running, listener: socket.socket, stop: asyncio.Event | None = None
) -> None:
    """Run until SIGINT or SIGTERM, or until `stop` is set (tests)."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    trusted = waymark.settings.web.trusted_proxies
    config = uvicorn.Config(
        create_app(waymark),
        log_config=None,
        access_log=False,
        lifespan="off",
        # X-Forwarded-For only from WEB_TRUSTED_PROXIES (uvicorn alone trusts loopback).
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )
    server = WebServer(config)
    try:
        await waymark.start()
    except BaseException:  # a refused token, say: close what was opened, then say why
        listener.close()
        await waymark.stop()
        raise
    web = asyncio.create_task(server.serve(sockets=[listener]), name="web")
    stopping = asyncio.create_task(stop.wait(), name="stop")
    log.info("waymark serving", extra={"port": listener.getsockname()[1]})
    try:
        await asyncio.wait({web, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waymark.webchat.close()  # live web chat streams end, so uvicorn can finish
        server.should_exit = True  # no new requests; those under way finish
        stopping.cancel()
        await asyncio.gather(web, stopping, return_exceptions=True)
        await waymark.stop()
