"""The stand-in Bot API's flood limits (tests/support/botapi_limits.py) count a rolling
window, as Telegram does: no burst at the start of each second."""

from __future__ import annotations

from tests.support.botapi_limits import RollingLimits


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _send(limits: RollingLimits, chat: int) -> int | None:
    return limits.refuse("sendMessage", {"chat_id": chat, "text": "hi"})


def test_the_31st_message_in_any_rolling_second_is_refused() -> None:
    clock = Clock()
    limits = RollingLimits(clock=clock)
    for chat in range(30):
        clock.now += 0.02  # 30 over 0.6 s
        assert _send(limits, chat) is None
    clock.now += 0.3  # 0.9 s after the first: all 30 still in the window
    assert _send(limits, 99) == 1
    clock.now += 0.13  # the first (at 100.02) has left the window, and only the first
    assert _send(limits, 99) is None
    assert _send(limits, 98) == 1
    assert limits.refused == {"bot": 2}


def test_a_chat_gets_one_a_second_and_a_refusal_is_not_counted() -> None:
    clock = Clock()
    limits = RollingLimits(clock=clock)
    assert _send(limits, 1) is None
    clock.now += 0.5
    assert _send(limits, 1) == 1
    assert _send(limits, 2) is None  # another chat is not held up
    clock.now += 0.51
    assert _send(limits, 1) is None  # a second after the one that went, not the refusal
    assert limits.refused == {"chat": 1}


def test_only_messages_count() -> None:
    limits = RollingLimits(clock=Clock())
    for _ in range(40):
        assert limits.refuse("answerCallbackQuery", {"callback_query_id": "1"}) is None
        assert limits.refuse("sendChatAction", {"chat_id": 1, "action": "typing"}) is None
    assert _send(limits, 1) is None
    assert limits.refuse("sendPhoto", {"chat_id": 1}) == 1
