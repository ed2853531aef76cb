"""Speech for real: the espeak-ng library from its wheel speaks and PyAV packs Ogg Opus, with
no program from PATH (the tests hide PATH and watch that no process is started); gTTS's
own request building runs against a local stand-in for Google; and the fallback, the rest
after a failure, the log-once rule and the disk cache are each shown working."""

from __future__ import annotations

import asyncio
import io
import logging
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import av
import pytest

from bot.composition import build_media
from bot.content.library import load_content
from bot.flows.types import Say
from bot.media.cache import DiskCache
from bot.media.espeak import Espeak, EspeakEngine
from bot.media.gtts_engine import GttsEngine
from bot.media.speech import MAX_VOICE_BYTES, Speech, SpeechEngine, SpeechError
from bot.rendering.outgoing import MediaKind
from bot.rendering.renderer import Profile, Renderer
from tests.conftest import make_settings
from tests.support.fakes import FixedClock
from tests.support.speech import MemoryEngine, StandInGoogleTTS, fake_mp3

SCRIPT = (
    "Sam, tomorrow, Wednesday 25 November, at 10 o'clock in the morning.\n"
    "At Camberwell Office, 45 Camberwell Road. You will see Jo."
)
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens there: as good as no network
# What Python reports before it starts another program (sys.addaudithook's events).
SPAWNS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn")
_started: list[str] | None = None  # what was started while a test watches


def _audit(event: str, _: tuple[object, ...]) -> None:
    if _started is not None and event in SPAWNS:
        _started.append(event)


sys.addaudithook(_audit)  # hooks cannot be removed: it only records inside `no_programs`


@contextmanager
def no_programs(monkeypatch: pytest.MonkeyPatch, empty: Path) -> Iterator[list[str]]:
    """PATH holds nothing (no espeak-ng, no opusenc), and every process started is noted."""
    global _started
    monkeypatch.setenv("PATH", str(empty))
    _started = []
    try:
        yield _started
    finally:
        _started = None


def speech(tmp_path: Path, *engines: SpeechEngine, clock: FixedClock | None = None) -> Speech:
    rest = timedelta(minutes=5)
    return Speech(list(engines), DiskCache(tmp_path / "media"), clock or FixedClock(), rest)


def opus_head(data: bytes) -> tuple[int, int, int, int]:
    """(version, channels, pre-skip, input rate) from the first Ogg page's OpusHead."""
    assert data.startswith(b"OggS")
    segments = data[26]
    body = 27 + segments  # the page header, then its segment table
    assert data[body : body + 8] == b"OpusHead"
    version, channels, pre_skip, rate = struct.unpack_from("<BBHI", data, body + 8)
    return version, channels, pre_skip, rate


def decoded(data: bytes) -> tuple[float, float]:
    """(seconds, loudest sample from 0 to 1) of an Ogg Opus file, decoded by libopus."""
    with av.open(io.BytesIO(data), "r") as container:
        (stream,) = container.streams.audio
        assert stream.codec_context.name == "opus"
        samples, loudest = 0, 0.0
        for frame in container.decode(stream):
            assert frame.format.name == "fltp"
            samples += frame.samples
            plane = memoryview(bytes(frame.planes[0])).cast("f")  # fltp: 32-bit floats
            loudest = max(loudest, max(abs(v) for v in plane[: frame.samples]))
    return samples / 48_000, loudest


def test_espeak_makes_an_ogg_opus_voice_note_with_nothing_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    engine = EspeakEngine()
    with no_programs(monkeypatch, tmp_path) as started:
        data = engine.speak(SCRIPT, "en")

    assert started == []  # no espeak-ng, no opusenc: the library and PyAV did it all
    assert opus_head(data)[:2] == (1, 1)  # Ogg Opus version 1, mono
    assert b"OpusTags" in data[:200]
    assert 2_000 < len(data) < MAX_VOICE_BYTES
    seconds, loudest = decoded(data)
    assert 7 <= seconds <= 15  # 20 words at 140 a minute, with the pauses at commas
    assert loudest > 0.1  # a voice, not silence
    duration = engine.duration(data)
    assert duration is not None
    assert abs(duration - seconds) <= 1
    assert engine.voice_for("en") == "en-gb@140"


def test_the_watch_sees_a_program_started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """So that the empty list above means something."""
    with no_programs(monkeypatch, tmp_path) as started:
        subprocess.run(["/bin/true"], check=True)

    assert started == ["subprocess.Popen"]


def test_slower_speech_is_longer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with no_programs(monkeypatch, tmp_path):
        slow = decoded(EspeakEngine(words_per_minute=100).speak(SCRIPT, "en"))[0]
        fast = decoded(EspeakEngine(words_per_minute=200).speak(SCRIPT, "en"))[0]

    assert slow > fast * 1.5


def test_welsh_has_its_own_voice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with no_programs(monkeypatch, tmp_path):
        data = EspeakEngine().speak("Bore da, Sam. Mae eich apwyntiad yfory.", "cy")

    assert decoded(data)[0] > 1


async def test_what_waymark_builds_makes_voice_notes_and_cards_with_nothing_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The engines and the font `build` chooses by default, as on a fresh machine."""
    settings = make_settings("sqlite://")
    settings.media.cache_dir = tmp_path / "media"
    maker = build_media(settings, FixedClock())
    renderer = Renderer(load_content())
    say = Say("signposting")

    with no_programs(monkeypatch, tmp_path / "empty") as started:
        voice = (await maker.make(renderer.render(say, Profile("voice")))).media
        card = (await maker.make(renderer.render(say, Profile("pictures")))).media

    assert started == []
    assert voice is not None
    assert (voice.kind, voice.mime_type, voice.filename) == (
        MediaKind.VOICE,
        "audio/ogg",
        "voice.ogg",
    )
    assert opus_head(voice.data)[:2] == (1, 1)
    assert voice.duration is not None
    assert abs(voice.duration - decoded(voice.data)[0]) <= 1
    assert card is not None
    assert card.kind is MediaKind.PHOTO
    assert card.data.startswith(b"\x89PNG")


def test_espeak_refuses_a_language_it_has_no_voice_for() -> None:
    with pytest.raises(SpeechError, match="voice does not exist"):
        EspeakEngine().speak("Hello.", "xx")


def test_no_words_or_too_many_are_speech_errors() -> None:
    with pytest.raises(SpeechError, match="no words"):
        EspeakEngine().speak("  ", "en")
    with pytest.raises(SpeechError, match="longer than 1 s"):
        Espeak().synthesize(SCRIPT, "en", 140, max_seconds=1)


def test_a_missing_or_broken_library_is_a_speech_error_not_a_crash(tmp_path: Path) -> None:
    not_a_library = tmp_path / "libespeak-ng.so"
    not_a_library.write_bytes(b"not a shared library")
    missing = EspeakEngine(espeak=Espeak(tmp_path / "missing.so", tmp_path))
    broken = EspeakEngine(espeak=Espeak(not_a_library, tmp_path))

    with pytest.raises(SpeechError, match="espeak-ng cannot start"):
        missing.speak("Hello.", "en")
    with pytest.raises(SpeechError, match="espeak-ng cannot start"):
        broken.speak("Hello.", "en")
    with pytest.raises(SpeechError, match="espeak-ng cannot start"):  # found broken once
        broken.speak("Hello again.", "en")
    assert EspeakEngine().speak("Hello.", "en").startswith(b"OggS")  # the wheel's still works


async def test_voice_notes_made_at_once_from_many_threads_are_each_whole(
    tmp_path: Path,
) -> None:
    """espeak-ng is one per process: calls from the worker threads wait their turn."""
    engine = EspeakEngine()
    names = ["Sam", "Alex", "Jo", "Priya", "Ade", "Kim"]

    made = await asyncio.gather(
        *(asyncio.to_thread(engine.speak, f"Hello {name}. {SCRIPT}", "en") for name in names)
    )

    lengths = [decoded(data)[0] for data in made]
    assert all(7 <= seconds <= 16 for seconds in lengths), lengths


async def test_gtts_builds_its_requests_and_we_read_its_answers() -> None:
    async with StandInGoogleTTS() as google:
        engine = GttsEngine(google.url)

        data = await asyncio.to_thread(engine.speak, SCRIPT, "en")

    # gTTS splits at punctuation (Google takes 100 characters at a time) and each part
    # comes back as its own MP3, joined in order.
    parts = [text for text, _ in google.spoken]
    assert parts == [
        "Sam",
        "tomorrow",
        "Wednesday 25 November",
        "at 10 o'clock in the morning.",  # the line break ends a part too
        "At Camberwell Office",
        "45 Camberwell Road",
        "You will see Jo.",
    ]
    assert {language for _, language in google.spoken} == {"en"}
    assert data == b"".join(fake_mp3(part) for part in parts)
    assert engine.voice_for("en") == "127.0.0.1"


@pytest.mark.parametrize("status", [429, 500, 403])
async def test_gtts_http_errors_are_speech_errors(status: int) -> None:
    async with StandInGoogleTTS() as google:
        google.fail_next(status)
        with pytest.raises(SpeechError, match=f"HTTP {status}"):
            await asyncio.to_thread(GttsEngine(google.url).speak, "Hello.", "en")


async def test_an_answer_without_audio_is_a_speech_error() -> None:
    async with StandInGoogleTTS() as google:
        google.answer_without_audio = True
        with pytest.raises(SpeechError, match="no audio"):
            await asyncio.to_thread(GttsEngine(google.url).speak, "Hello.", "en")


def test_gtts_without_network_or_language_fails_fast() -> None:
    with pytest.raises(SpeechError, match="cannot reach"):
        GttsEngine(CLOSED_PORT, timeout=2).speak("Hello.", "en")
    with pytest.raises(SpeechError, match="no voice for language 'xx'"):
        GttsEngine(CLOSED_PORT).speak("Hello.", "xx")


async def test_google_is_used_when_it_answers(tmp_path: Path) -> None:
    async with StandInGoogleTTS() as google:
        voices = speech(tmp_path, GttsEngine(google.url), EspeakEngine())

        audio = await voices.say("Hello Sam.", "en")

    assert (audio.engine, audio.mime_type, audio.extension) == ("gtts", "audio/mpeg", ".mp3")
    assert audio.data == fake_mp3("Hello Sam.")


async def test_when_google_fails_espeak_answers_and_it_is_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FixedClock()
    async with StandInGoogleTTS() as google:
        voices = speech(tmp_path, GttsEngine(google.url), EspeakEngine(), clock=clock)
        google.fail_next(429)
        with caplog.at_level(logging.INFO, logger="bot.media.speech"):
            first = await voices.say("Hello Sam.", "en")
            second = await voices.say("Goodbye Sam.", "en")  # Google rests: not asked
            asked_while_resting = len(google.spoken)
            clock.advance(minutes=6)
            third = await voices.say("Hello again.", "en")  # rested: Google is back

    assert [a.engine for a in (first, second, third)] == ["espeak-ng", "espeak-ng", "gtts"]
    assert first.data.startswith(b"OggS")
    assert asked_while_resting == 0
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "speech engine failed; using the next one",
        "speech engine works again",
    ]
    assert caplog.records[0].engine == "gtts"  # type: ignore[attr-defined]
    assert "429" in caplog.records[0].error  # type: ignore[attr-defined]
    assert all("Sam" not in str(record.__dict__) for record in caplog.records)  # no words


async def test_no_network_falls_back_to_espeak(tmp_path: Path) -> None:
    voices = speech(tmp_path, GttsEngine(CLOSED_PORT, timeout=2), EspeakEngine())

    audio = await voices.say("Hello Sam.", "en")

    assert audio.engine == "espeak-ng"


async def test_the_same_words_are_never_made_twice(tmp_path: Path) -> None:
    engine = MemoryEngine()
    voices = speech(tmp_path, engine)

    first = await voices.say("Hello Sam.", "en")
    again = await voices.say("Hello Sam.", "en")
    other_language = await voices.say("Hello Sam.", "cy")
    after_restart = await speech(tmp_path, engine).say("Hello Sam.", "en")  # a new process

    assert engine.spoken == [("Hello Sam.", "en"), ("Hello Sam.", "cy")]
    assert first.data == again.data == after_restart.data != other_language.data
    assert len(list((tmp_path / "media" / "speech").rglob("*.ogg"))) == 2


async def test_a_voice_note_too_big_for_telegram_comes_from_the_next_engine(
    tmp_path: Path,
) -> None:
    class Huge(MemoryEngine):
        name = "huge"

        def speak(self, text: str, language: str) -> bytes:
            return b"x" * (MAX_VOICE_BYTES + 1)

    small = MemoryEngine()
    audio = await speech(tmp_path, Huge(), small).say("Hello.", "en")

    assert audio.engine == "memory"
    assert small.spoken == [("Hello.", "en")]


async def test_when_no_engine_can_speak_it_says_so(tmp_path: Path) -> None:
    engine = MemoryEngine()
    engine.fail = True

    with pytest.raises(SpeechError, match="no speech engine"):
        await speech(tmp_path, engine).say("Hello.", "en")
    with pytest.raises(ValueError, match="at least one engine"):
        speech(tmp_path)


async def test_speech_runs_off_the_event_loop(tmp_path: Path) -> None:
    class Slow(MemoryEngine):
        def speak(self, text: str, language: str) -> bytes:
            time.sleep(0.3)  # a slow network or a long text
            return super().speak(text, language)

    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    await speech(tmp_path, Slow()).say("Hello.", "en")
    beating.cancel()

    assert ticks >= 8  # the loop kept running while the engine worked
