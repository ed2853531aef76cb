"""Pairing codes over each real Telegram framework and the stand-in Bot API: six digits a
coach reads out, typed after /start or on their own, once, for fifteen minutes."""

from __future__ import annotations

from sqlmodel import select

from bot.composition import Waymark
from bot.models import ChannelLink, LinkAttempt
from bot.services import pairing
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat

INVALID = "This link or code does not work."
THROTTLED = "Too many tries. Please wait 15 minutes. Then ask your coach for a new link or code."


def _linked_chat(app: Waymark, person_id: int = 1) -> str | None:
    with app.uow() as uow:
        link = uow.session.exec(
            select(ChannelLink).where(ChannelLink.person_id == person_id)
        ).first()
        return link.chat_id if link else None


async def test_a_code_after_start_links_and_onboards(running: Waymark, sam: Chat) -> None:
    world.add_coach(running)
    world.add_person(running)
    spoken = world.pairing_code(running)  # "483 219"
    replies = await sam.say(f"/start {spoken}", expect=3)
    assert replies[0].startswith("Hello Sam.")
    assert _linked_chat(running) == str(sam.chat_id)
    # Once only: the same digits from another chat do nothing.
    other = Chat(sam.botapi, 6101)
    assert (await other.say(spoken.replace(" ", "")))[0].startswith(INVALID)


async def test_the_digits_alone_link_a_chat(running: Waymark, botapi: StandInBotAPI) -> None:
    world.add_coach(running)
    world.add_person(running)
    spoken = world.pairing_code(running)
    chat = Chat(botapi, 6201)
    typed = f"{spoken[:3]}-{spoken[4:]}"  # as it was written down: 483-219
    assert (await chat.say(typed, expect=3))[0].startswith("Hello Sam.")
    assert _linked_chat(running) == "6201"


async def test_a_code_lasts_fifteen_minutes(running: Waymark, botapi: StandInBotAPI) -> None:
    world.add_coach(running)
    world.add_person(running)
    spoken = world.pairing_code(running)
    running.clock.advance(minutes=15)  # type: ignore[attr-defined]
    chat = Chat(botapi, 6301)
    assert (await chat.say(f"/start {spoken}"))[0].startswith(INVALID)
    assert _linked_chat(running) is None


async def test_wrong_codes_from_one_chat_are_throttled(
    running: Waymark, botapi: StandInBotAPI
) -> None:
    world.add_coach(running)
    world.add_person(running)
    spoken = world.pairing_code(running)
    wrong = f"{(int(spoken.replace(' ', '')) + 1) % 1_000_000:06d}"
    guesser = Chat(botapi, 6401)
    for _ in range(pairing.CHAT_FAILURES):
        assert (await guesser.say(wrong))[0].startswith(INVALID)
    assert await guesser.say(spoken) == [THROTTLED]  # the right code waits too
    assert _linked_chat(running) is None


async def test_when_the_service_is_flooded_pairing_codes_wait(
    running: Waymark, botapi: StandInBotAPI
) -> None:
    world.add_coach(running)
    world.add_person(running)
    spoken = world.pairing_code(running)
    code = world.invite(running, "IOM-0001")
    with running.uow() as uow:  # many chats guessed lately
        for n in range(pairing.SERVICE_FAILURES):
            uow.session.add(
                LinkAttempt(channel="telegram", chat_id=f"g{n}", at=running.clock.now())
            )
        uow.commit()
    chat = Chat(botapi, 6501)
    assert await chat.say(spoken) == [THROTTLED]
    # A link's long code cannot be guessed, so it still works.
    assert (await chat.say(f"/start {code}", expect=3))[0].startswith("Hello Sam.")
