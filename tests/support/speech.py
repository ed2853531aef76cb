"""Speech for tests: an in-memory engine (for tests where speech is not the point) and a
stand-in for Google's batchexecute endpoint, so gTTS's own request building runs against
a local server and nothing reaches the network.

    async with StandInGoogleTTS() as google:
        engine = GttsEngine(google.url)
        ...
        assert google.spoken == [("Hello Sam.", "en")]
"""

from __future__ import annotations

import base64
import hashlib
import json
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs

from aiohttp import web

from bot.media.gtts_engine import BATCHEXECUTE
from bot.media.speech import SpeechError

RPC = "jQ1olc"  # gTTS.GOOGLE_TTS_RPC


def fake_mp3(text: str) -> bytes:
    """Bytes that start like an MP3 frame and differ for every text."""
    return b"\xff\xf3\x44\xc4" + hashlib.sha256(text.encode()).digest() * 40


class MemoryEngine:
    """A speech engine that keeps what it was asked to say. `fail` makes it refuse."""

    name = "memory"
    extension = ".ogg"
    mime_type = "audio/ogg"

    def __init__(self) -> None:
        self.spoken: list[tuple[str, str]] = []
        self.fail = False

    def voice_for(self, language: str) -> str:
        return f"{language}-test"

    def speak(self, text: str, language: str) -> bytes:
        if self.fail:
            raise SpeechError("the memory engine was told to fail")
        self.spoken.append((text, language))
        return b"OggS" + hashlib.sha256(f"{language}:{text}".encode()).digest()

    def duration(self, data: bytes) -> int | None:
        return 2


class StandInGoogleTTS:
    """Answers like translate.google.com's batchexecute: the RPC in, base64 audio out.

    Each request's text and language are kept in `spoken`; `fail_next(status, times)` makes
    the next answers an HTTP error (429 or 500, say); `answer_without_audio` a 200 that
    holds no audio."""

    def __init__(self) -> None:
        self.spoken: list[tuple[str, str]] = []
        self._failures: list[int] = []
        self.answer_without_audio = False
        self._runner: web.AppRunner | None = None
        self._port = 0

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post(BATCHEXECUTE, self._answer)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def fail_next(self, status: int, times: int = 1) -> None:
        self._failures += [status] * times

    async def _answer(self, request: web.Request) -> web.Response:
        if self._failures:
            return web.Response(status=self._failures.pop(0), text="error")
        form = parse_qs(await request.text())
        rpc = json.loads(form["f.req"][0])
        name, argument = rpc[0][0][0], rpc[0][0][1]
        if name != RPC:
            return web.Response(status=400, text="unknown rpc")
        text, language = json.loads(argument)[:2]
        self.spoken.append((text, language))
        if self.answer_without_audio:
            return web.Response(text=')]}\'\n\n42\n[["wrb.fr","jQ1olc",null]]\n')
        audio = base64.b64encode(fake_mp3(text)).decode()
        answer = [["wrb.fr", RPC, json.dumps([audio]), None, None, None, "generic"]]
        payload = json.dumps(answer, separators=(",", ":"))  # compact, as Google writes it
        return web.Response(text=f")]}}'\n\n{len(payload)}\n{payload}\n")
