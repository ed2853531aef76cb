"""Transcripts of the coaching flows: check-ins, /plan, mood, crisis words, talking to
the coach and snoozing a nudge. Pure: the person, what they do, what the bot decides."""

from __future__ import annotations

from dataclasses import replace

from bot.flows import checkin, snooze
from bot.flows.router import route
from bot.flows.types import (
    IDLE,
    AlertRaised,
    Engaged,
    GoalView,
    Incoming,
    Kind,
    QuietDayChosen,
    Relayed,
    Snoozed,
    State,
    StepAnswered,
    StepView,
)
from tests.flows.transcript import person, press, typed

MAP = StepView(
    id=11,
    goal_title="Get a library card",
    text="Find the library on the map",
    next_id=12,
    next_text="Bring a letter with your address",
)
LETTER = StepView(id=12, goal_title="Get a library card", text="Bring a letter with your address")


def test_the_check_in_asks_about_the_current_step() -> None:
    say = checkin.ask(MAP)
    assert say.key == "checkin_ask"
    assert say.variables == {"goal": "Get a library card", "step": "Find the library on the map"}
    assert [b.data for row in say.buttons for b in row] == [
        "ci:11:done",
        "ci:11:some",
        "ci:11:not_yet",
        "ci:11:help",
    ]


def test_a_check_in_week_done_not_yet_and_need_help() -> None:
    sam = replace(person(), steps=(MAP,))
    done = route(IDLE, press("ci:11:done"), sam)
    assert [s.key for s in done.say] == ["checkin_done", "checkin_how_sure"]
    assert done.say[0].variables == {"step": "Bring a letter with your address"}
    assert done.say[1].buttons[0][0].data == "cf:12:0"  # how sure about the NEXT step
    assert len([b for row in done.say[1].buttons for b in row]) == 11
    assert done.events == (StepAnswered(11, "done"),)
    assert (done.close, done.chosen) == (True, "checkin_done")

    sam = replace(person(), steps=(LETTER,))
    not_yet = route(IDLE, press("ci:12:not_yet"), sam)
    assert [s.key for s in not_yet.say] == ["checkin_not_yet", "checkin_how_sure"]
    assert not_yet.events == (StepAnswered(12, "not_yet"),)
    sure = route(IDLE, press("cf:12:3"), sam)
    assert [s.key for s in sure.say] == ["checkin_thanks"]
    assert sure.events == (Engaged("checkin_sure", {"step_id": 12, "sure": 3}),)

    need_help = route(IDLE, press("ci:12:help"), sam)
    assert need_help.events == (
        StepAnswered(12, "help"),
        AlertRaised("checkin_help", detail=LETTER.text),
    )
    assert [s.key for s in need_help.say] == ["checkin_help", "checkin_how_sure"]


def test_done_on_the_last_step_finishes_the_goal() -> None:
    result = route(IDLE, press("ci:12:done"), replace(person(), steps=(LETTER,)))
    assert [(s.key, s.variables) for s in result.say] == [
        ("checkin_goal_done", {"goal": "Get a library card"})
    ]


def test_a_check_in_after_the_step_changed_is_old_and_changes_nothing() -> None:
    for data in ("ci:11:done", "cf:11:7"):
        result = route(IDLE, press(data), replace(person(), steps=(LETTER,)))
        assert [s.key for s in result.say] == ["checkin_old"]
        assert result.events == ()


def test_bad_check_in_buttons() -> None:
    sam = replace(person(), steps=(MAP,))
    for data in ("ci:11:maybe", "ci:x:done", "cf:11:11", "cf:11:-1", "cf:11:ten"):
        result = route(IDLE, press(data), sam)
        assert (result.say, result.events, result.toast) == ((), (), "not_understood")


def test_plan_shows_progress() -> None:
    sam = replace(
        person(),
        goals=(
            GoalView("Get a library card", 1, 2, LETTER.text),
            GoalView("See the GP", 3, 3, None),
        ),
    )
    result = route(IDLE, typed("/plan"), sam)
    assert [(s.key, s.variables) for s in result.say] == [
        (
            "plan_goal",
            {"goal": "Get a library card", "done": "1", "total": "2", "step": LETTER.text},
        ),
        ("plan_goal_done", {"goal": "See the GP", "done": "3", "total": "3", "step": ""}),
    ]
    assert [s.key for s in route(IDLE, typed("/plan"), person()).say] == ["plan_none"]


def test_red_mood_alerts_at_once_and_signposts() -> None:
    asked = route(IDLE, typed("/mood"), person())
    assert [b.data for b in asked.say[0].buttons[0]] == ["md:green", "md:amber", "md:red"]
    red = route(IDLE, press("md:red"), person())
    assert [s.key for s in red.say] == ["mood_red_reply", "signposting", "quiet_day_offer"]
    assert AlertRaised("mood_red", urgent=True) in red.events
    quiet = route(IDLE, press("qd:yes"), person())
    assert quiet.events == (QuietDayChosen(),)
    green = route(IDLE, press("md:green"), person())
    assert [s.key for s in green.say] == ["mood_green_reply"]
    assert not any(isinstance(e, AlertRaised) for e in green.events)


def test_crisis_words_get_help_now_and_alert_the_coach() -> None:
    said = Incoming(Kind.TEXT, text="I want to end it all", crisis=True)
    for who in (person(), person("declined"), replace(person(), paused=True)):
        result = route(IDLE, said, who)
        assert [s.key for s in result.say] == ["crisis_reply", "signposting"]
        assert result.events == (AlertRaised("crisis", urgent=True),)


def test_talk_to_my_coach_relays_the_next_message_only() -> None:
    waiting = route(IDLE, typed("/coach"), person())
    assert waiting.state == State("coach", "waiting")
    sent = route(waiting.state, typed("Can we meet at 3?"), person())
    assert sent.state == IDLE
    assert sent.events == (
        Relayed(text="Can we meet at 3?"),
        AlertRaised("message", detail="Can we meet at 3?"),
    )
    after = route(sent.state, typed("thanks"), person())
    assert [s.key for s in after.say] == ["not_understood"]  # not relayed: it was one message

    voice = route(waiting.state, Incoming(Kind.MEDIA, media_id="AwACAg"), person())
    assert voice.events == (Relayed(media_id="AwACAg"), AlertRaised("message", "voice note"))
    sticker = route(waiting.state, Incoming(Kind.MEDIA), person())
    assert sticker.state == waiting.state
    assert [s.key for s in sticker.say] == ["relay_ask_again"]
    cancelled = route(waiting.state, press("tc:cancel"), person())
    assert (cancelled.state, cancelled.events) == (IDLE, ())


def test_snooze_moves_only_that_message() -> None:
    assert [b.data for b in snooze.buttons(42)] == ["sz:42:hour", "sz:42:evening", "sz:42:morning"]
    result = route(IDLE, press("sz:42:evening"), person())
    assert result.events == (Snoozed(42, "evening"),)
    assert [s.key for s in result.say] == ["snoozed_evening"]
    assert route(IDLE, press("sz:42:never"), person()).events == ()
