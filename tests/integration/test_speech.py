"""Speech for real: espeak-ng and opusenc from Debian run as they do in production, gTTS's
own request building runs against a local stand-in for Google, and the fallback, the
rest after a failure, the log-once rule and the disk cache are each shown working."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.media.cache import DiskCache
from bot.media.espeak import EspeakEngine
from bot.media.gtts_engine import GttsEngine
from bot.media.speech import MAX_VOICE_BYTES, Speech, SpeechEngine, SpeechError
from tests.support.fakes import FixedClock
from tests.support.speech import MemoryEngine, StandInGoogleTTS, fake_mp3

SCRIPT = (
    "Sam, tomorrow, Wednesday 25 November, at 10 o'clock in the morning. "
    "At Camberwell Office, 45 Camberwell Road. You will see Jo."
)
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens there: as good as no network


def speech(tmp_path: Path, *engines: SpeechEngine, clock: FixedClock | None = None) -> Speech:
    rest = timedelta(minutes=5)
    return Speech(list(engines), DiskCache(tmp_path / "media"), clock or FixedClock(), rest)


def test_espeak_makes_an_ogg_opus_voice_note() -> None:
    engine = EspeakEngine()

    data = engine.speak(SCRIPT, "en")

    assert data.startswith(b"OggS")
    assert b"OpusHead" in data[:100]
    assert 2_000 < len(data) < MAX_VOICE_BYTES
    duration = engine.duration(data)
    assert duration is not None
    assert 5 <= duration <= 15  # about 20 words at 140 a minute
    assert engine.voice_for("en") == "en-gb@140"


def test_espeak_refuses_a_language_it_has_no_voice_for() -> None:
    with pytest.raises(SpeechError, match="espeak-ng failed"):
        EspeakEngine().speak("Hello.", "xx")


def test_a_missing_program_is_a_speech_error_not_a_crash() -> None:
    with pytest.raises(SpeechError, match="no-such-espeak is not installed"):
        EspeakEngine(espeak="no-such-espeak").speak("Hello.", "en")


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
        "at 10 o'clock in the morning",
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
