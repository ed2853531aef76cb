"""How fast each Telegram adapter handles button presses, against a bare echo bot.

    uv run python -m bench.updates [N]

N people each press "I am coming" on their reminder at once. Every press takes the whole
path: long polling, the adapter, the flow, the database (state, the appointment, an
event), then the reply: answer the press, close the buttons, send the thanks. The bar is
a bare echo bot of the same framework against the same stand-in Bot API server in the
same run: it answers each press and sends its data back, with the framework's usual
concurrency and no database. Rate limits are lifted. Prints updates per second and the
ratio for python-telegram-bot and aiogram; on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import aiogram
from aiogram.types import CallbackQuery
from sqlmodel import func, select
from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes

from bench.population import START, chat_id, fill, run_everywhere, settings
from bot.channels.telegram import aiogram_adapter, ptb_adapter
from bot.composition import Waymark, build
from bot.models import Appointment
from bot.settings import TelegramSettings
from tests.support.botapi import StandInBotAPI
from tests.support.chat import button_data
from tests.support.database import database_url, migrated_engine
from tests.support.fakes import FixedClock

ROUNDS = 3
WAIT = 300.0  # seconds: a round that takes longer has gone wrong


Press = tuple[int, int, str]  # chat, message id, callback data


async def _press_all(server: StandInBotAPI, presses: list[Press]) -> tuple[float, int]:
    """Push every press at once; updates per second until the last reply is sent, and
    the offset that confirms them all."""
    sent = len(server.calls_to("sendMessage"))
    began = time.perf_counter()
    last = 0
    for chat, message_id, data in presses:
        last = server.press_button(chat, message_id, data)
    await server.wait_for("sendMessage", sent + len(presses), timeout=WAIT)
    elapsed = time.perf_counter() - began
    failed = [c for c in server.calls_to("sendMessage")[sent:] if c.status != 200]
    if failed:
        raise SystemExit(f"{len(failed)} replies failed")
    return len(presses) / elapsed, last + 1


def _reminders(server: StandInBotAPI, n: int, round_no: int) -> list[Press]:
    """Each person's reminder: (chat, its message id, the data of its "coming" button)."""
    presses = []
    for i in range(n):
        chat = chat_id(n, round_no, i)
        message = server.last_message(chat)
        assert message is not None, "the reminder was not sent"
        presses.append((chat, int(message["message_id"]), button_data(message)[0]))
    return presses


def _check_all_coming(app: Waymark, expected: int) -> None:
    """Every press did what it says: the appointment is confirmed."""
    with app.uow() as uow:
        coming = uow.session.exec(
            select(func.count()).where(Appointment.confirmation == "coming")
        ).one()
    if coming != expected:
        raise SystemExit(f"expected {expected} confirmed appointments, found {coming}")


async def _bare_ptb(
    telegram: TelegramSettings, server: StandInBotAPI, presses: list[Press]
) -> float:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        assert query.message is not None
        await query.answer()
        await context.bot.send_message(chat_id=query.message.chat.id, text=query.data or "?")

    bot = ptb_adapter.build_bot(telegram)
    application = ApplicationBuilder().bot(bot).concurrent_updates(256).build()
    application.add_handler(CallbackQueryHandler(echo))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=1)
        try:
            rate, offset = await _press_all(server, presses)
        finally:
            await application.updater.stop()
            await application.stop()
        await bot.get_updates(offset=offset, timeout=0)  # confirm: Waymark must not get them
        return rate


async def _bare_aiogram(
    telegram: TelegramSettings, server: StandInBotAPI, presses: list[Press]
) -> float:
    bot = aiogram_adapter.build_bot(telegram)
    dispatcher = aiogram.Dispatcher()

    @dispatcher.callback_query()
    async def echo(query: CallbackQuery) -> None:
        assert query.message is not None
        await query.answer()
        await bot.send_message(chat_id=query.message.chat.id, text=query.data or "?")

    polling = asyncio.create_task(
        dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False)
    )
    try:
        rate, offset = await _press_all(server, presses)
    finally:
        await dispatcher.stop_polling()
        await polling
    await bot.get_updates(offset=offset, timeout=0)  # confirm: Waymark must not get them
    await bot.session.close()
    return rate


async def run(backend: str, framework: str, n: int) -> None:
    ours: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, database_url(backend, Path(tmp)) as url:
        engine = migrated_engine(url)
        async with StandInBotAPI() as server:
            made = settings(url, server, framework)
            for round_no in range(ROUNDS):
                app = build(made, clock=FixedClock(START), engine=engine)
                await app.open()
                fill(app, n, round_no)
                report = await app.dispatcher.tick()  # the reminders go out (not timed)
                assert report.counts == {"sent": n}, dict(report.counts)
                presses = _reminders(server, n, round_no)
                # The echo bot presses the same buttons first: it edits nothing, so
                # Waymark then finds the reminders as they were.
                bare_run = _bare_aiogram if framework == "aiogram" else _bare_ptb
                bare.append(await bare_run(made.telegram, server, presses))
                await app.start()
                try:
                    ours.append((await _press_all(server, presses))[0])
                finally:
                    await app.stop()
                _check_all_coming(app, n * (round_no + 1))
        engine.dispose()
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    print(
        f"{backend:<10} {framework:<8} n={n}  waymark {ours_median:7.1f} updates/s  "
        f"bare {framework} echo {bare_median:7.1f} updates/s  "
        f"ratio {ours_median / bare_median:.2f}  (median of {ROUNDS})"
    )


def main() -> None:
    run_everywhere(run)


if __name__ == "__main__":
    main()
