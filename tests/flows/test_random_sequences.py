"""Property tests (hypothesis): any sequence of things a person can do, in any order, through
the router and the real renderer.

Whatever comes in (commands known and unknown, stale and forged buttons, long text, emoji,
stickers), every answer is an item of the real content library, every button's label is in
it and its data fits Telegram's 64 bytes, every message renders in every format with all its
variables, and nothing raises. A failure prints the shortest sequence that breaks a rule.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.library import load_content
from bot.flows.types import GoalView, Incoming, Kind, PersonView, Result, State, StepView
from bot.rendering.renderer import Profile, Renderer
from tests.flows.transcript import Chat, appointment

CONTENT = load_content()
RENDERER = Renderer(CONTENT)
PROFILES = [
    Profile(format=fmt, easy_read=easy)
    for fmt in ("words", "pictures", "voice")
    for easy in (False, True)
]
COMMANDS = ["start", "help", "next", "plan", "mood", "coach", "stop", "pause", "quiet", "x"]
FORGED = ["", "ob:", "rm:1:2:x", "rm:999:1:coming", "mood:purple", "ck:x:y", ":" * 70, "é" * 40]
BUTTON_DATA_BYTES = 64

texts = st.text(max_size=300) | st.sampled_from(["help", "yes", "no", "I'm lost", "😀", " "])
commands = st.builds(
    lambda name, arg: Incoming.from_text(f"/{name} {arg}".strip()),
    st.sampled_from(COMMANDS),
    st.text(alphabet="abc 123", max_size=12),
)
actions = st.one_of(
    st.tuples(st.just("type"), texts),
    st.tuples(st.just("command"), commands),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=40)),
    st.tuples(st.just("forged"), st.sampled_from(FORGED) | st.text(max_size=80)),
    st.tuples(st.just("media"), st.none()),
)


def _person(consent: str) -> PersonView:
    when = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    return PersonView(
        name="Sam",
        coach_name="Alex",
        consent=consent,
        paused=False,
        format="words",
        upcoming=(appointment(7, 2, when), appointment(8, 1, when.replace(day=27))),
        steps=(StepView(3, "Get a job", "Write a CV", next_id=4, next_text="Send it"),),
        goals=(GoalView("Get a job", 1, 3, "Write a CV"),),
    )


def _offered(results: list[Result]) -> list[str]:
    return [b.data for r in results for say in r.say for row in say.buttons for b in row]


def _check(result: Result) -> None:
    for say in result.say:
        assert say.key in CONTENT.messages, f"no content item {say.key!r}"
        for row in say.buttons:
            for button in row:
                assert button.label in CONTENT.buttons, f"no button label {button.label!r}"
                assert len(button.data.encode()) <= BUTTON_DATA_BYTES, button.data
        for profile in PROFILES:
            draft = RENDERER.render(say, profile, sent_id=1)
            assert draft.words.text.strip(), f"{say.key} renders empty"
    if result.toast is not None:
        assert result.toast in CONTENT.messages or result.toast in CONTENT.buttons


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    consent=st.sampled_from(["", "given", "declined"]),
    steps=st.lists(actions, min_size=1, max_size=25),
)
def test_any_sequence_gets_real_answers(
    consent: str, steps: list[tuple[str, object]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    chat = Chat(_person(consent), State())
    for action, value in steps:
        offered = _offered(chat.results)
        match action:
            case "type":
                incoming = Incoming.from_text(str(value))
            case "command":
                assert isinstance(value, Incoming)
                incoming = value
            case "press" if offered:
                assert isinstance(value, int)
                incoming = Incoming(Kind.BUTTON, button=offered[value % len(offered)])
            case "forged" | "press":
                incoming = Incoming(Kind.BUTTON, button=str(value or ""))
            case _:
                incoming = Incoming(Kind.MEDIA)
        _check(chat.send(incoming))
    with caplog.at_level(logging.WARNING):
        missing = [r for r in caplog.records if r.getMessage() == "content variable missing"]
    assert missing == [], [r.__dict__.get("content_key") for r in missing]
