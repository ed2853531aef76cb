"""What media costs: drawing a card, speaking with espeak-ng, the cache hit path, and a
reminder's send time with its card or voice note cached against words only.

    uv run python -m bench.media [N]

1. A picture card (the appointment card) drawn and encoded as PNG: median of 50.
2. A voice note (no cache), whole and in its two parts: the espeak-ng library speaking,
   and PyAV resampling and encoding Ogg Opus: median of 10 each.
3. The cache hit path: a Draft made into a message when its card or voice note is on disk
   already (read, hashed, the file id found in memory): median of 50.
4. N due reminders through the real dispatcher and python-telegram-bot to the stand-in Bot
   API server, for N words people, then for N pictures people and N voice people whose card
   or voice note was made and uploaded before (so it goes by file id): the time per reminder
   with media cached against words only (median of 5 rounds), measured in the same run.
   Rate limits are lifted.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import col, update

from bench.population import START, fill, settings
from bot.composition import Waymark, build
from bot.content.library import load_content
from bot.flows.reminder_replies import appointment_variables, reminder_buttons
from bot.flows.types import AppointmentView, Say
from bot.media.cache import DiskCache
from bot.media.cards import CardDrawer
from bot.media.espeak import Espeak, EspeakEngine
from bot.media.opus import ogg_opus
from bot.models import Person
from bot.rendering.outgoing import Draft
from bot.rendering.renderer import Profile, Renderer
from tests.support.botapi import StandInBotAPI
from tests.support.database import database_url, migrated_engine
from tests.support.fakes import FixedClock

APPOINTMENT = AppointmentView(
    id=7,
    revision=1,
    starts_at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
    place="Camberwell Probation Office, 45 Camberwell Road",
    with_whom="Jo Green",
    kind="probation",
)
SAME_TIME = START + timedelta(days=30)
ROUNDS = 5
REMINDER = Say(
    "reminder_evening",
    {"name": "Sam", **appointment_variables(APPOINTMENT)},
    reminder_buttons(7, 1),
)


def median_ms(times: int, work: Callable[[], object]) -> float:
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        work()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent) * 1000


def show(what: str, milliseconds: float, note: str) -> None:
    print(f"{what:<30} {milliseconds:8.2f} ms  {note}")


def drafts(renderer: Renderer) -> tuple[Draft, Draft]:
    card = renderer.render(REMINDER, Profile("pictures"), sent_id=1)
    voice = renderer.render(REMINDER, Profile("voice"), sent_id=1)
    return card, voice


async def cache_hit_ms(app: Waymark, draft: Draft, times: int = 50) -> float:
    assert app.media is not None
    await app.media.make(draft)  # made once: on disk from now on
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        await app.media.make(draft)
        spent.append(time.perf_counter() - began)
    return statistics.median(spent) * 1000


async def per_reminder_ms(app: Waymark, n: int, round_no: int, format_: str) -> float:
    """n new people, each with the same appointment (so the same card and voice note) at
    SAME_TIME, and its reminder due now; the time per reminder to send them all."""
    app.clock.set(SAME_TIME - timedelta(hours=2))  # type: ignore[attr-defined]
    fill(app, n, round_no)  # appointments two hours on, the clock one hour on
    with app.uow() as uow:
        uow.session.execute(
            update(Person).where(col(Person.ref).startswith(f"B{round_no}-")).values(format=format_)
        )
        uow.commit()
    began = time.perf_counter()
    report = await app.dispatcher.tick()
    elapsed = time.perf_counter() - began
    if report.counts != {"sent": n}:
        raise SystemExit(f"expected {n} sent, got {dict(report.counts)}")
    return elapsed / n * 1000


async def sends(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database_url("sqlite", Path(tmp)) as url:
        engine = migrated_engine(url)
        async with StandInBotAPI() as server:
            config = settings(url, server, "ptb")
            config.media.cache_dir = Path(tmp) / "media"
            app = build(config, clock=FixedClock(START), engine=engine)
            await app.open()
            card, voice = drafts(Renderer(app.content))
            show("cache hit path, card", await cache_hit_ms(app, card), "median of 50")
            show("cache hit path, voice note", await cache_hit_ms(app, voice), "median of 50")
            formats = ("words", "pictures", "voice")
            times: dict[str, list[float]] = {format_: [] for format_ in formats}
            for round_no in range(ROUNDS + 1):  # the first warms: connections, uploads
                for i, format_ in enumerate(formats):
                    spent = await per_reminder_ms(app, n, round_no * 3 + i, format_)
                    if round_no:
                        times[format_].append(spent)
            await app.stop()
        engine.dispose()
    words, pictures, voices = (statistics.median(times[f]) for f in formats)
    note = f"median of {ROUNDS} rounds of {n}"
    show("send per reminder, words", words, note)
    show("send per reminder, pictures", pictures, f"ratio to words {pictures / words:.2f}")
    show("send per reminder, voice", voices, f"ratio to words {voices / words:.2f}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    card, voice = drafts(Renderer(load_content()))
    assert card.card is not None
    assert voice.speech is not None
    picture, script = card.card, voice.speech.text
    drawer = CardDrawer()
    show("picture card render (PNG)", median_ms(50, lambda: drawer.png(picture)), "median of 50")
    espeak = EspeakEngine()
    espeak.speak(script, "en")  # the library loaded and PyAV imported: once per process
    show("voice note (whole)", median_ms(10, lambda: espeak.speak(script, "en")), "median of 10")
    sound = Espeak().synthesize(script, "en", espeak.words_per_minute)
    speaking = median_ms(10, lambda: Espeak().synthesize(script, "en", 140))
    show("  espeak-ng speaking", speaking, f"{sound.seconds:.1f} s of voice")
    show("  Ogg Opus by PyAV", median_ms(10, lambda: ogg_opus(sound.pcm, sound.rate)), "")
    with tempfile.TemporaryDirectory() as tmp:
        cached = CardDrawer(cache=DiskCache(Path(tmp)))
        cached.png(picture)
        show("card from the disk cache", median_ms(50, lambda: cached.png(picture)), "median of 50")
    asyncio.run(sends(n))


if __name__ == "__main__":
    main()
