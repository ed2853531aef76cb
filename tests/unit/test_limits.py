"""The limiter's decision (bot/channels/limits.py), as arithmetic: evenly spaced turns,
a turn only when the bot and the chat are both free, pauses from 429s."""

from __future__ import annotations

import pytest

from bot.channels.limits import BotWide, Spacing, Turn, chat_key, decide, paused
from bot.settings import SendingSettings

SPACING = Spacing(bot=0.1, chat=1.0)


def test_spacing_keeps_a_margin_in_each_window() -> None:
    spacing = Spacing.of(SendingSettings(per_second=30, per_chat_per_second=1, window_margin=0.04))
    assert spacing.bot == pytest.approx(1.04 / 30)
    assert spacing.chat == pytest.approx(1.04)
    # 31 sends, evenly spaced, never fit in one second: 30 gaps of 1.04 / 30 s.
    assert 30 * spacing.bot > 1.0


def test_a_free_bot_and_chat_send_now() -> None:
    assert decide(10.0, 0.0, 0.0, SPACING) == Turn(True, 0.0, 10.1, 11.0)


def test_a_busy_bot_gives_the_next_free_moment() -> None:
    turn = decide(10.0, 10.25, 0.0, SPACING)
    assert turn.granted
    assert (turn.wait, turn.bot_next, turn.chat_next) == pytest.approx((0.25, 10.35, 11.25))


def test_a_busy_chat_takes_nothing_and_says_when_to_ask_again() -> None:
    turn = decide(10.0, 10.2, 10.5, SPACING)
    assert not turn.granted
    assert turn.wait == pytest.approx(0.3)
    assert (turn.bot_next, turn.chat_next) == (10.2, 10.5)  # the bot's moment is left for others


def test_turns_taken_in_a_row_are_evenly_spaced() -> None:
    bot, moments = 0.0, []
    for chat in range(12):
        turn = decide(5.0, bot, 0.0, SPACING)
        assert turn.granted, chat
        bot = turn.bot_next
        moments.append(5.0 + turn.wait)
    assert moments == pytest.approx([5.0 + 0.1 * n for n in range(12)])


def test_a_pause_only_ever_moves_the_next_moment_later() -> None:
    assert paused(10.0, 0.0, 3.0) == 13.0
    assert paused(10.0, 20.0, 3.0) == 20.0


def test_429s_in_three_chats_within_a_second_are_the_bots() -> None:
    now = [0.0]
    wide = BotWide(clock=lambda: now[0])
    assert not wide.hit("1")
    assert not wide.hit("1")  # the same chat again: still that chat's limit
    now[0] = 0.5
    assert not wide.hit("2")
    now[0] = 0.9
    assert wide.hit("3")
    now[0] = 2.5  # the earlier ones are more than a second old
    assert not wide.hit("4")


def test_a_shared_key_holds_no_chat_id() -> None:
    key = chat_key("telegram:123", "5001")
    assert "5001" not in key
    assert key == chat_key("telegram:123", "5001") != chat_key("telegram:123", "5002")
