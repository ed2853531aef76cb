"""The rate limits of Delivery, measured where they act: when the channel is called.

(Measuring at the stand-in server instead mixes in each request's own travel time, so two
calls that left 0.25 s apart can arrive 5 ms apart.) The channel here is a fake of our own
port that records when it was asked to send."""

from __future__ import annotations

import asyncio
import itertools

from bot.channels.delivery import Delivery
from bot.rendering.outgoing import Rendered
from bot.settings import SendingSettings


class RecordingChannel:
    name = "recording"

    def __init__(self) -> None:
        self.sends: list[tuple[str, float]] = []

    async def send(self, chat_id: str, message: Rendered) -> str:
        self.sends.append((chat_id, asyncio.get_running_loop().time()))
        return str(len(self.sends))

    async def close_buttons(self, chat_id: str, message_id: str, text: str | None) -> None:
        """Not used here."""

    async def answer_button(self, query_id: str, text: str | None) -> None:
        """Not used here."""

    async def set_commands(self, commands: dict[str, str]) -> None:
        """Not used here."""


async def _send_all(delivery: Delivery, chats: list[str]) -> None:
    await asyncio.gather(*(delivery.send(chat, Rendered(f"n{i}")) for i, chat in enumerate(chats)))


async def test_one_chat_is_spaced_and_other_chats_do_not_wait() -> None:
    channel = RecordingChannel()
    delivery = Delivery(channel, SendingSettings(per_second=1000, per_chat_per_second=4))
    start = asyncio.get_running_loop().time()
    await _send_all(delivery, ["1", "1", "1", "2", "3"])
    one_chat = [at for chat, at in channel.sends if chat == "1"]
    assert len(one_chat) == 3
    assert min(b - a for a, b in itertools.pairwise(one_chat)) >= 0.24  # 4 a second
    others = [at - start for chat, at in channel.sends if chat != "1"]
    assert max(others) < 0.2  # well under the 0.25 s a second message to chat 1 waits


async def test_the_bot_limit_holds_in_every_rolling_second() -> None:
    """No burst at the start: 10 a second means no 11 in any second, counted from any
    moment (a leaky bucket that starts full lets 20 through in the first one). The
    margin (a quarter second a window here, for a loaded machine) absorbs a send that
    leaves a little late; a bucket that starts full would still send 20 in one second."""
    channel = RecordingChannel()
    settings = SendingSettings(per_second=10, per_chat_per_second=1000, window_margin=0.25)
    delivery = Delivery(channel, settings)
    await _send_all(delivery, [str(chat) for chat in range(15)])
    times = sorted(at for _, at in channel.sends)
    assert len(times) == 15
    assert all(later - first >= 1.0 for first, later in zip(times, times[10:], strict=False))


async def test_a_429_pauses_the_chat_for_its_retry_after_and_no_other() -> None:
    channel = RecordingChannel()
    delivery = Delivery(channel, SendingSettings(per_second=1000, per_chat_per_second=1000))
    loop = asyncio.get_running_loop()
    start = loop.time()
    await delivery.limiter.pause("1", 0.3)
    await _send_all(delivery, ["1", "2", "3"])
    at = {chat: when - start for chat, when in channel.sends}
    assert at["1"] >= 0.3
    assert max(at["2"], at["3"]) < 0.2
