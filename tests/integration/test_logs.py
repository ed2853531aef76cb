"""What Waymark logs, read as an operator would: in both formats (WAYMARK_LOG_FORMAT),
a reminder's send and the coach's alert after it leave the outbox id, the channel and the
outcome, and never a name, a case reference or a word of a message."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest

from bot.composition import Waymark
from bot.logs import LogFormat, configure_logging
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat
from tests.support.fakes import FixedClock

NAME, REF, COACH = "Zephyrine", "IOM-7391", "Ottoline"
PLACE, WITH = "Quillfeather House, 9 Larkspur Lane", "Marisol"
STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
# Words a log line may hold for reasons of its own (an event's name, a kind, the bot's).
OURS = {"reminder", "appointment", "message", "sent", "coach", "outbox", "button", "waymark"}


async def _a_reminder_and_an_alert(app: Waymark, botapi: StandInBotAPI) -> list[str]:
    """Link a person and their coach, send the person a reminder, press "Running late"
    (which alerts the coach), send the alert. Returns every text the chats received."""
    person, coach = Chat(botapi, 7001), Chat(botapi, 7002)
    world.add_coach(app, name=COACH)
    world.add_person(app, ref=REF, name=NAME)
    await app.start()
    try:
        await coach.say(f"/start {world.coach_invite(app)}")
        await person.say(f"/start {world.invite(app, REF)}", expect=3)
        await person.press("ob:consent:agree")
        await person.press("ob:format:words")
        await person.press("ob:reminders:recommended")
        await person.press("ob:quiet:quiet_none")
        await person.press("ob:discreet:discreet_on", expect=2)
        await person.press("ob:practice:coming", expect=2)
        appointment = world.add_appointment(app, STARTS, ref=REF, place=PLACE, with_whom=WITH)
        app.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
        before = len(person.sent())
        assert (await app.dispatcher.tick()).counts == {"sent": 1}
        await person.wait_for_messages(before + 1)
        before = len(coach.sent())
        await person.press(f"ap:{appointment.id}:1:late")  # the scheduler ticks at once
        await coach.wait_for_messages(before + 1)  # with the coach's alert
    finally:
        await app.stop()
    return person.texts() + coach.texts()


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_logs_carry_ids_and_outcomes_never_names_or_words(
    waymark: Waymark, botapi: StandInBotAPI, clock: FixedClock, log_format: LogFormat
) -> None:
    stream = io.StringIO()
    # DEBUG: every line Waymark writes (the Telegram libraries, which would log whole
    # messages at DEBUG, are held at INFO).
    configure_logging("DEBUG", log_format, stream)
    texts = await _a_reminder_and_an_alert(waymark, botapi)
    lines = stream.getvalue().splitlines()

    assert any(NAME in text for text in texts)  # the messages did carry them...
    assert any(PLACE in text for text in texts)
    for secret in (NAME, REF, COACH, PLACE, WITH, "Quillfeather", "Larkspur"):
        assert not [line for line in lines if secret in line], secret  # ...the logs do not
    words = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]{6,}", text)} - OURS
    logged = {w.lower() for line in lines for w in re.findall(r"[A-Za-z]{6,}", line)}
    assert words & logged == set()

    assert not [line for line in lines if "apscheduler" in line]  # no line for each tick
    if log_format == "json":
        records = [json.loads(line) for line in lines]  # every line is one JSON object
        sends = [r for r in records if "outbox_id" in r and "channel" in r]
        assert [(r["channel"], r["outcome"]) for r in sends] == [("telegram", "sent")] * 2
        assert all(isinstance(r["outbox_id"], int) for r in sends)
    else:
        sends = [line for line in lines if "outbox row done" in line and "channel=" in line]
        assert len(sends) == 2
        assert all(re.search(r"channel=telegram outbox_id=\d+ outcome=sent$", s) for s in sends)
