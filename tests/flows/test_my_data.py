"""Transcripts: "delete my data" from the /stop question, and /stop and /start as consent."""

from __future__ import annotations

from bot.flows.router import route
from bot.flows.types import (
    IDLE,
    AlertRaised,
    ConsentRecorded,
    ErasureAsked,
    PauseChanged,
)
from tests.flows.transcript import Chat, button_data, button_labels, keys, person, press, typed


def test_delete_my_data_asks_once_more_then_tells_coach_and_admin_and_stops_everything() -> None:
    chat = Chat(person())
    chat.send(typed("/stop"))

    asked = chat.send(press("dd:ask"))
    assert keys(asked) == ["delete_confirm"]
    assert button_data(asked.say[0]) == [["dd:yes"], ["dd:no"]]
    assert button_labels(asked.say[0]) == [["delete_yes"], ["delete_no"]]
    assert asked.events == ()
    assert (asked.close, asked.chosen) == (True, "delete_my_data")

    done = chat.send(press("dd:yes"))
    assert keys(done) == ["delete_asked"]
    assert done.events == (
        PauseChanged(True),
        ConsentRecorded("service", "withdrawn"),
        ErasureAsked(),
        AlertRaised("delete_request"),
    )
    assert (done.close, done.chosen) == (True, "delete_yes")
    assert chat.person.paused
    assert keys(chat.send(typed("hello"))) == ["paused_note"]


def test_no_to_delete_my_data_changes_nothing() -> None:
    chat = Chat(person())
    chat.send(typed("/stop"))
    chat.send(press("dd:ask"))

    kept = chat.send(press("dd:no"))

    assert keys(kept) == ["kept_going"]
    assert kept.events == ()
    assert (kept.close, kept.chosen) == (True, "delete_no")
    assert not chat.person.paused


def test_delete_my_data_when_paused_already_asks_without_pausing_again() -> None:
    result = route(IDLE, press("dd:yes"), person(paused=True))

    assert keys(result) == ["delete_asked"]
    assert PauseChanged(True) not in result.events
    assert ErasureAsked() in result.events


def test_start_after_delete_my_data_gives_consent_again() -> None:
    chat = Chat(person())
    chat.send(press("dd:yes"))

    resumed = chat.send(typed("/start"))

    assert keys(resumed) == ["resumed"]
    assert resumed.events == (PauseChanged(False), ConsentRecorded("service", "given"))


def test_an_unknown_delete_button_is_refused_kindly() -> None:
    result = route(IDLE, press("dd:maybe"), person())

    assert result.toast == "not_understood"
    assert result.events == ()


def test_someone_who_said_not_now_can_still_ask_for_their_data_to_be_deleted() -> None:
    declined = person("declined")

    asked = route(IDLE, press("dd:ask"), declined)
    done = route(IDLE, press("dd:yes"), declined)

    assert keys(asked) == ["delete_confirm"]
    assert ErasureAsked() in done.events
    assert route(IDLE, press("st:yes"), declined).say == ()  # other buttons stay quiet
