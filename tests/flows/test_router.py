"""Router transcripts: commands, reminder buttons, /stop and /start, and bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.flows import reminder_replies
from bot.flows.router import route
from bot.flows.types import (
    IDLE,
    AlertRaised,
    ConsentRecorded,
    Engaged,
    Incoming,
    Kind,
    PauseChanged,
    PersonView,
    ReminderAnswered,
    Result,
    State,
)
from tests.flows.transcript import (
    CAMBERWELL,
    Chat,
    appointment,
    button_data,
    button_labels,
    keys,
    media,
    person,
    press,
    typed,
)

APPOINTMENT = appointment(7, revision=2)  # Wednesday 25 November 2026, 10:00 GMT
WITH_ONE = person(upcoming=(APPOINTMENT,))


# Reminder buttons ----------------------------------------------------------------------


def test_reminders_carry_four_answers_two_a_row_then_add_to_calendar() -> None:
    rows = reminder_replies.reminder_buttons(7, 2)

    assert [[b.data for b in row] for row in rows] == [
        ["ap:7:2:coming", "ap:7:2:late"],
        ["ap:7:2:cant_come", "ap:7:2:directions"],
        ["ap:7:2:calendar"],
    ]
    assert [[b.label for b in row] for row in rows] == [
        ["coming", "late"],
        ["cant_come", "directions"],
        ["calendar"],
    ]
    assert all(len(b.data.encode()) <= 64 for row in rows for b in row)


def test_coming_thanks_them_and_alerts_nobody() -> None:
    result = route(IDLE, press("ap:7:2:coming"), WITH_ONE)

    assert keys(result) == ["reply_coming"]
    assert result.events == (ReminderAnswered(7, "coming"),)
    assert (result.close, result.chosen, result.toast) == (True, "coming", None)
    assert result.state == IDLE


@pytest.mark.parametrize(
    ("answer", "still"),
    [
        ("coming", [["late", "directions"], ["calendar"]]),
        ("late", [["coming", "directions"], ["calendar"]]),  # "I am coming" after all
        ("cant_come", [["coming", "directions"], ["calendar"]]),
        ("directions", [["coming", "late"], ["cant_come"], ["calendar"]]),
    ],
)
def test_after_any_answer_the_buttons_that_still_make_sense_stay(
    answer: str, still: list[list[str]]
) -> None:
    result = route(IDLE, press(f"ap:7:2:{answer}"), WITH_ONE)

    reply = result.say[-1]
    assert button_labels(reply) == still
    assert button_data(reply) == [[f"ap:7:2:{label}" for label in row] for row in still]


@pytest.mark.parametrize(
    ("answer", "reply", "alert"),
    [
        ("late", "reply_late", "late"),
        ("cant_come", "reply_cant_come", "cant_come"),
    ],
)
def test_late_and_cant_come_tell_the_coach(answer: str, reply: str, alert: str) -> None:
    result = route(IDLE, press(f"ap:7:2:{answer}"), WITH_ONE)

    assert keys(result) == [reply]
    assert result.events == (
        ReminderAnswered(7, answer),
        AlertRaised(alert, appointment_id=7),
    )
    assert (result.close, result.chosen) == (True, answer)


def test_directions_gives_the_place_and_links_tells_the_coach_and_asks_again() -> None:
    result = route(IDLE, press("ap:7:2:directions"), WITH_ONE)

    assert keys(result) == ["reply_directions"]
    assert result.say[0].variables == {
        "place": CAMBERWELL,
        "journey_url": "https://tfl.gov.uk/plan-a-journey/?to=Camberwell+Probation+Office"
        "%2C+45+Camberwell+Road",
        "map_url": "https://www.openstreetmap.org/search?query=Camberwell+Probation+Office"
        "%2C+45+Camberwell+Road",
    }
    assert result.say[0].venue is None  # no coordinates: no pin
    assert result.events == (
        ReminderAnswered(7, "directions"),
        AlertRaised("lost", appointment_id=7),
    )
    assert (result.close, result.chosen) == (True, "directions")


def test_directions_with_a_travel_note_and_coordinates_sends_a_pin_first() -> None:
    located = replace(
        APPOINTMENT, travel_note="Bus 36 to Camberwell Green", latitude=51.4741, longitude=-0.0931
    )
    result = route(IDLE, press("ap:7:2:directions"), person(upcoming=(located,)))

    assert keys(result) == ["venue", "reply_directions_note"]
    pin, words = result.say
    assert (pin.venue, pin.variables, pin.buttons) == (located, {"place": CAMBERWELL}, ())
    assert words.variables["travel_note"] == "Bus 36 to Camberwell Green"
    assert words.variables["map_url"] == (
        "https://www.openstreetmap.org/?mlat=51.47410&mlon=-0.09310#map=17/51.47410/-0.09310"
    )
    assert button_labels(words) == [["coming", "late"], ["cant_come"], ["calendar"]]


def test_the_buttons_under_directions_still_work() -> None:
    chat = Chat(WITH_ONE)
    shown = chat.send(press("ap:7:2:directions"))

    late = chat.send(press(button_data(shown.say[0])[0][1]))

    assert late.events == (ReminderAnswered(7, "late"), AlertRaised("late", appointment_id=7))


def test_answers_go_to_the_appointment_the_button_names() -> None:
    other = appointment(8, revision=1, starts_at=datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    both = person(upcoming=(APPOINTMENT, other))

    result = route(IDLE, press("ap:8:1:late"), both)

    assert result.events == (ReminderAnswered(8, "late"), AlertRaised("late", appointment_id=8))


@pytest.mark.parametrize(
    ("data", "who"),
    [
        ("ap:7:1:coming", WITH_ONE),  # the appointment was moved: revision 2 now
        ("ap:7:3:late", WITH_ONE),
        ("ap:7:2:late", person()),  # past or cancelled: no longer upcoming
        ("ap:99:1:cant_come", WITH_ONE),  # not theirs, or never existed
    ],
)
def test_a_reminder_for_a_moved_or_past_appointment_is_stale(data: str, who: PersonView) -> None:
    result = route(IDLE, press(data), who)

    assert keys(result) == ["reply_stale"]
    assert result.events == ()
    assert (result.close, result.toast, result.chosen) == (True, "reply_stale", None)


# Bad button data -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("ap:x:y", Result(IDLE, toast="not_understood")),
        ("ap:7:2:dance", Result(IDLE, toast="not_understood")),
        ("ap:7:2", Result(IDLE, toast="not_understood")),
        ("ap:-7:2:late", Result(IDLE, toast="not_understood")),
        ("ap:7:2:late:again", Result(IDLE, toast="not_understood")),
        ("zz:1", Result(IDLE, toast="not_understood", close=True)),
        ("", Result(IDLE, toast="not_understood", close=True)),
        ("x" * 100, Result(IDLE, toast="not_understood", close=True)),
        ("st:" + "y" * 70, Result(IDLE, toast="not_understood", close=True)),
        ("st:maybe", Result(IDLE, toast="not_understood", close=True)),
        ("ob:" + "q" * 70, Result(IDLE, toast="old_button", close=True)),
    ],
)
def test_malformed_button_data_gets_a_short_answer(data: str, expected: Result) -> None:
    assert route(IDLE, press(data), WITH_ONE) == expected


def test_a_huge_appointment_id_is_stale_not_a_crash() -> None:
    data = "ap:" + "9" * 80 + ":1:coming"

    result = route(IDLE, press(data), WITH_ONE)

    assert len(data) > 64
    assert keys(result) == ["reply_stale"]
    assert result.events == ()


# /stop and /start ------------------------------------------------------------------------------


def test_stop_then_yes_pauses_and_start_resumes() -> None:
    chat = Chat(person())

    asked = chat.send(typed("/stop"))
    assert keys(asked) == ["stop_confirm"]
    assert button_data(asked.say[0]) == [["st:yes", "st:no"], ["dd:ask"]]
    assert button_labels(asked.say[0]) == [["stop_yes", "stop_no"], ["delete_my_data"]]
    assert asked.events == ()

    stopped = chat.send(press("st:yes"))
    assert keys(stopped) == ["stopped"]
    assert stopped.events == (
        PauseChanged(True),
        ConsentRecorded("service", "withdrawn"),
        AlertRaised("stopped"),
    )
    assert (stopped.close, stopped.chosen) == (True, "stop_yes")
    assert chat.person.paused

    note = chat.send(typed("are you there"))
    assert keys(note) == ["paused_note"]
    assert note.events == ()

    resumed = chat.send(typed("/start"))
    assert keys(resumed) == ["resumed"]
    assert resumed.say[0].variables == {"name": "Sam"}
    assert resumed.events == (PauseChanged(False), ConsentRecorded("service", "given"))
    assert not chat.person.paused

    assert keys(chat.send(typed("hello"))) == ["not_understood"]


def test_stop_then_no_keeps_going() -> None:
    chat = Chat(person())
    chat.send(typed("/stop"))

    kept = chat.send(press("st:no"))

    assert keys(kept) == ["kept_going"]
    assert kept.events == ()
    assert (kept.close, kept.chosen) == (True, "stop_no")
    assert not chat.person.paused


def test_an_old_stop_button_while_paused_changes_nothing_and_says_so() -> None:
    paused = person(paused=True)

    for data, chosen in (("st:yes", "stop_yes"), ("st:no", "stop_no")):
        result = route(IDLE, press(data), paused)
        assert keys(result) == ["stopped"]
        assert result.events == ()
        assert result.chosen == chosen


def test_start_when_linked_and_not_paused_welcomes_them_back() -> None:
    result = route(IDLE, typed("/start"), person())

    assert keys(result) == ["welcome_back"]
    assert result.say[0].variables == {"name": "Sam"}
    assert result.events == ()


def test_start_before_consent_begins_onboarding() -> None:
    result = route(IDLE, typed("/start"), person("pending"))

    assert keys(result) == ["welcome", "consent_what", "consent_ask"]
    assert result.state == State("onboarding", "consent")


# /next and /help ----------------------------------------------------------------------------


def test_next_without_appointments() -> None:
    result = route(IDLE, typed("/next"), person())

    assert keys(result) == ["no_next_appointment"]
    assert result.events == (Engaged("command", {"command": "next"}),)


def test_next_shows_the_soonest_on_the_london_clock() -> None:
    later = appointment(9, starts_at=datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    who = person(upcoming=(later, APPOINTMENT))

    result = route(IDLE, typed("/next"), who)

    assert keys(result) == ["next_appointment"]
    assert result.say[0].variables == {
        "date": "Wednesday 25 November",
        "time": "10:00",
        "place": CAMBERWELL,
        "with": "Jo Green",
        "kind": "supervision",  # picks the picture card's icon
    }
    assert button_data(result.say[0]) == [["ap:7:2:calendar"]]
    assert result.events == (Engaged("command", {"command": "next"}),)


def test_next_in_summer_time_is_an_hour_ahead_of_utc() -> None:
    monday = appointment(3, starts_at=datetime(2026, 3, 30, 8, 0, tzinfo=UTC))

    result = route(IDLE, typed("/next"), person(upcoming=(monday,)))

    assert result.say[0].variables["date"] == "Monday 30 March"
    assert result.say[0].variables["time"] == "09:00"


def test_help_names_the_coach_and_signposts() -> None:
    result = route(IDLE, typed("/help"), person(paused=True))

    assert keys(result) == ["help", "signposting"]
    assert result.say[0].variables == {"coach": "Alex"}
    assert result.events == (Engaged("command", {"command": "help"}),)


# Words, media and unknown commands ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/HELP", "help"),
        ("/help@waymark_bot", "help"),
        ("  /next  ", "next"),
        ("/stop now", "stop"),
    ],
)
def test_commands_are_read_whatever_the_case_or_bot_name(text: str, command: str) -> None:
    incoming = typed(text)

    assert (incoming.kind, incoming.command) == (Kind.COMMAND, command)
    assert route(IDLE, incoming, person()).say != ()


@pytest.mark.parametrize("text", ["/dance", "/start_over", "/nextweek"])
def test_an_unknown_command_is_not_understood(text: str) -> None:
    result = route(IDLE, typed(text), person())

    assert keys(result) == ["not_understood"]
    assert result.events == ()


def test_a_lone_slash_is_words_not_a_command() -> None:
    assert typed("/") == Incoming(Kind.TEXT, text="/")
    assert keys(route(IDLE, typed("/"), person())) == ["not_understood"]


def test_words_and_media_when_nothing_is_asked() -> None:
    assert keys(route(IDLE, typed("what time is it"), person())) == ["not_understood"]
    assert keys(route(IDLE, media(), person())) == ["media_not_understood"]
    assert keys(route(IDLE, media(), person(paused=True))) == ["paused_note"]


def test_add_to_calendar_sends_the_appointment_as_a_file_and_keeps_the_buttons() -> None:
    result = route(IDLE, press("ap:7:2:calendar"), WITH_ONE)

    (say,) = result.say
    assert say.key == "calendar_file"
    assert say.calendar == APPOINTMENT
    assert say.variables["place"] == CAMBERWELL
    assert (result.close, result.chosen) == (False, None)  # they may still answer it
    assert result.events == (Engaged("calendar_file", {"appointment_id": 7}),)


def test_add_to_calendar_on_a_moved_appointment_is_stale() -> None:
    result = route(IDLE, press("ap:7:1:calendar"), WITH_ONE)

    assert keys(result) == ["reply_stale"]
    assert result.say[0].calendar is None
