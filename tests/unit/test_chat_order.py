"""ChatOrder: one chat's updates one at a time and in order; other chats side by side."""

from __future__ import annotations

import asyncio

from bot.channels.chat_order import ChatOrder


async def test_one_chat_in_order_and_other_chats_alongside() -> None:
    order = ChatOrder()
    done: list[str] = []
    gate = asyncio.Event()

    async def job(name: str, wait: bool = False) -> None:
        if wait:
            await gate.wait()
        done.append(name)

    order.spawn(1, job("1a", wait=True))
    order.spawn(1, job("1b"))
    order.spawn(2, job("2a"))
    order.spawn(None, job("no chat"))
    await asyncio.sleep(0.05)
    assert done == ["2a", "no chat"]  # chat 1 waits for its first update; others do not
    assert order.busy == 2
    gate.set()
    await order.drain()
    assert done == ["2a", "no chat", "1a", "1b"]
    assert order.busy == 0


async def test_a_newcomer_never_overtakes_a_waiter_as_a_lock_changes_hands() -> None:
    # Regression: forgetting a chat's lock when it reads "unlocked" (the moment between a
    # release and the next waiter waking) let a newcomer take a fresh lock and go first.
    order = ChatOrder()
    done: list[str] = []

    async def first() -> None:
        await asyncio.sleep(0)  # "second" queues for the chat meanwhile
        order.spawn(7, record("third"))  # arrives while "second" waits
        done.append("first")

    async def record(name: str) -> None:
        done.append(name)

    order.spawn(7, first())
    order.spawn(7, record("second"))
    await order.drain()
    assert done == ["first", "second", "third"]


async def test_a_failing_update_does_not_stop_the_next(caplog: object) -> None:
    order = ChatOrder()
    done: list[str] = []

    async def boom() -> None:
        raise RuntimeError("flow bug")

    async def record() -> None:
        done.append("next")

    order.spawn(3, boom())
    order.spawn(3, record())
    await order.drain()
    assert done == ["next"]
