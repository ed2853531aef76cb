"""Onboarding transcripts: welcome, consent, four tap-only questions, a practice reminder."""

from __future__ import annotations

import pytest

from bot.flows import onboarding
from bot.flows.types import (
    IDLE,
    ConsentDeclined,
    ConsentGiven,
    Engaged,
    Incoming,
    OnboardingFinished,
    PreferenceChosen,
    Result,
    State,
)
from tests.flows.transcript import (
    Chat,
    button_data,
    button_labels,
    keys,
    media,
    person,
    press,
    typed,
)

CONSENT_BUTTONS = [["ob:consent:agree", "ob:consent:not_now"]]
FORMAT_BUTTONS = [["ob:format:words", "ob:format:pictures", "ob:format:voice"]]
REMINDER_BUTTONS = [["ob:reminders:recommended"], ["ob:reminders:fewer"]]
QUIET_BUTTONS = [["ob:quiet:quiet_none"], ["ob:quiet:quiet_21", "ob:quiet:quiet_22"]]
DISCREET_BUTTONS = [["ob:discreet:discreet_on"], ["ob:discreet:discreet_off"]]
PRACTICE_BUTTONS = [
    ["ob:practice:coming", "ob:practice:late"],
    ["ob:practice:cant_come", "ob:practice:directions"],
]


def started() -> Chat:
    """A person who has just been linked: the service ran onboarding.start for them."""
    chat = Chat(person("pending"))
    first = onboarding.start(chat.person)
    chat.state = first.state
    return chat


def at_step(step: str) -> Chat:
    return Chat(person("given"), State(onboarding.FLOW, step))


def test_the_whole_onboarding_choosing_pictures() -> None:
    chat = Chat(person("pending"))

    welcome = onboarding.start(chat.person)
    chat.state = welcome.state
    assert keys(welcome) == ["welcome", "consent_what", "consent_ask"]
    assert welcome.say[0].variables == {"name": "Sam"}
    assert button_data(welcome.say[-1]) == CONSENT_BUTTONS
    assert button_labels(welcome.say[-1]) == [["agree", "not_now"]]
    assert [say.buttons for say in welcome.say[:-1]] == [(), ()]  # buttons on the last only
    assert welcome.events == ()
    assert welcome.state == State("onboarding", "consent")

    agreed = chat.send(press("ob:consent:agree"))
    assert keys(agreed) == ["ask_format"]
    assert button_data(agreed.say[0]) == FORMAT_BUTTONS
    assert agreed.events == (ConsentGiven(),)
    assert (agreed.close, agreed.chosen, agreed.toast) == (True, "agree", None)
    assert agreed.state == State("onboarding", "format")

    pictures = chat.send(press("ob:format:pictures"))
    assert keys(pictures) == ["format_pictures", "ask_reminders"]
    assert button_data(pictures.say[1]) == REMINDER_BUTTONS
    assert pictures.events == (PreferenceChosen("format", "pictures"),)
    assert (pictures.close, pictures.chosen) == (True, "pictures")
    assert pictures.state == State("onboarding", "reminders")

    reminders = chat.send(press("ob:reminders:recommended"))
    assert keys(reminders) == ["ask_quiet"]
    assert button_data(reminders.say[0]) == QUIET_BUTTONS
    assert reminders.events == (PreferenceChosen("reminder_plan", "recommended"),)
    assert reminders.state == State("onboarding", "quiet")

    quiet = chat.send(press("ob:quiet:quiet_22"))
    assert keys(quiet) == ["ask_discreet"]
    assert button_data(quiet.say[0]) == DISCREET_BUTTONS
    assert button_labels(quiet.say[0]) == [["discreet_on"], ["discreet_off"]]  # private first
    assert quiet.events == (PreferenceChosen("quiet_from", "22:00"),)
    assert quiet.state == State("onboarding", "discreet")

    discreet = chat.send(press("ob:discreet:discreet_on"))
    assert keys(discreet) == ["practice_intro", "practice_reminder"]
    assert discreet.say[1].variables == {"name": "Sam"}
    assert button_data(discreet.say[1]) == PRACTICE_BUTTONS
    assert button_labels(discreet.say[1]) == [["coming", "late"], ["cant_come", "directions"]]
    assert discreet.events == (PreferenceChosen("discreet", "on"),)
    assert (discreet.close, discreet.chosen) == (True, "discreet_on")
    assert discreet.state == State("onboarding", "practice")

    practice = chat.send(press("ob:practice:coming"))
    assert keys(practice) == ["practice_done", "onboarding_done"]
    assert [say.variables for say in practice.say] == [{"name": "Sam"}, {"name": "Sam"}]
    assert practice.events == (
        Engaged("practice_reminder", {"answer": "coming"}),
        OnboardingFinished(),
    )
    assert (practice.close, practice.chosen) == (True, "coming")
    assert practice.state == IDLE

    # The picture choice is what was recorded, and nothing later replaced it.
    chosen = [e for r in chat.results for e in r.events if isinstance(e, PreferenceChosen)]
    assert chosen == [
        PreferenceChosen("format", "pictures"),
        PreferenceChosen("reminder_plan", "recommended"),
        PreferenceChosen("quiet_from", "22:00"),
        PreferenceChosen("discreet", "on"),
    ]
    assert chat.person.format == "pictures"


@pytest.mark.parametrize(
    ("choice", "said"),
    [
        ("words", ["ask_reminders"]),
        ("pictures", ["format_pictures", "ask_reminders"]),
        ("voice", ["format_voice", "ask_reminders"]),
    ],
)
def test_pictures_and_voice_are_confirmed_in_the_format_chosen(
    choice: str, said: list[str]
) -> None:
    result = at_step("format").send(press(f"ob:format:{choice}"))

    assert keys(result) == said
    assert result.events == (PreferenceChosen("format", choice),)


@pytest.mark.parametrize(
    ("choice", "value"), [("quiet_none", None), ("quiet_21", "21:00"), ("quiet_22", "22:00")]
)
def test_quiet_hour_choices_are_recorded_as_a_time_or_none(choice: str, value: str | None) -> None:
    result = at_step("quiet").send(press(f"ob:quiet:{choice}"))

    assert result.events == (PreferenceChosen("quiet_from", value),)
    assert result.state == State("onboarding", "discreet")


@pytest.mark.parametrize(("choice", "value"), [("discreet_on", "on"), ("discreet_off", "off")])
def test_discreet_previews_are_chosen_on_or_off(choice: str, value: str) -> None:
    result = at_step("discreet").send(press(f"ob:discreet:{choice}"))

    assert result.events == (PreferenceChosen("discreet", value),)
    assert keys(result) == ["practice_intro", "practice_reminder"]
    assert result.state == State("onboarding", "practice")


@pytest.mark.parametrize("answer", ["coming", "late", "cant_come", "directions"])
def test_a_practice_answer_never_alerts_the_coach(answer: str) -> None:
    result = at_step("practice").send(press(f"ob:practice:{answer}"))

    assert result.events == (
        Engaged("practice_reminder", {"answer": answer}),
        OnboardingFinished(),
    )
    assert result.chosen == answer


def test_not_now_then_quiet_until_start() -> None:
    chat = started()

    declined = chat.send(press("ob:consent:not_now"))
    assert keys(declined) == ["consent_declined"]
    assert declined.events == (ConsentDeclined(),)
    assert (declined.close, declined.chosen) == (True, "not_now")
    assert declined.state == IDLE

    for incoming in (typed("hello?"), media(), typed("/nonsense"), press("ob:consent:agree")):
        silent = chat.send(incoming)
        assert silent == Result(IDLE), incoming

    helped = chat.send(typed("/help"))
    assert keys(helped) == ["help", "signposting"]
    assert helped.say[0].variables == {"coach": "Alex"}

    again = chat.send(typed("/start"))
    assert keys(again) == ["welcome", "consent_what", "consent_ask"]
    assert button_data(again.say[-1]) == CONSENT_BUTTONS
    assert again.state == State("onboarding", "consent")
    assert again.events == ()


def test_start_after_not_now_lets_the_person_agree() -> None:
    # Regression: after "not now" every button was ignored, so the consent question that
    # /start asks again could never be answered.
    chat = started()
    chat.send(press("ob:consent:not_now"))
    chat.send(typed("/start"))

    text = chat.send(typed("ok"))
    assert keys(text) == ["tap_a_button", "consent_what", "consent_ask"]

    agreed = chat.send(press("ob:consent:agree"))
    assert keys(agreed) == ["ask_format"]
    assert agreed.events == (ConsentGiven(),)
    assert agreed.state == State("onboarding", "format")
    assert chat.person.consent == "given"


def test_not_now_twice_stays_quiet_again() -> None:
    chat = started()
    chat.send(press("ob:consent:not_now"))
    chat.send(typed("/start"))

    declined = chat.send(press("ob:consent:not_now"))

    assert declined.events == (ConsentDeclined(),)
    assert declined.state == IDLE
    assert chat.send(typed("hello")) == Result(IDLE)


@pytest.mark.parametrize(
    ("step", "stale", "asks", "buttons"),
    [
        ("format", "ob:consent:agree", ["ask_format"], FORMAT_BUTTONS),
        ("reminders", "ob:format:words", ["ask_reminders"], REMINDER_BUTTONS),
        ("quiet", "ob:reminders:fewer", ["ask_quiet"], QUIET_BUTTONS),
        ("practice", "ob:quiet:quiet_21", ["practice_intro", "practice_reminder"], None),
        ("quiet", "ob:quiet:agree", ["ask_quiet"], QUIET_BUTTONS),  # not a choice here
        ("quiet", "ob:quiet", ["ask_quiet"], QUIET_BUTTONS),
        ("quiet", "ob:", ["ask_quiet"], QUIET_BUTTONS),
    ],
)
def test_a_stale_onboarding_button_asks_the_current_question_again(
    step: str, stale: str, asks: list[str], buttons: list[list[str]] | None
) -> None:
    result = at_step(step).send(press(stale))

    assert keys(result) == asks
    assert button_data(result.say[-1]) == (buttons or PRACTICE_BUTTONS)
    assert (result.close, result.toast, result.chosen) == (True, "tap_a_button", None)
    assert result.events == ()
    assert result.state == State("onboarding", step)


@pytest.mark.parametrize("incoming", [typed("yes please"), typed("22:00"), media()])
@pytest.mark.parametrize("step", ["consent", "format", "reminders", "quiet", "practice"])
def test_words_or_media_during_onboarding_ask_for_a_tap(step: str, incoming: Incoming) -> None:
    chat = started() if step == "consent" else at_step(step)
    expected = keys(Result(chat.state, say=onboarding.ask(step, chat.person)))

    result = chat.send(incoming)

    assert keys(result) == ["tap_a_button", *expected]
    assert result.say[-1].buttons != ()
    assert result.events == ()
    assert result.state == State("onboarding", step)
    assert not result.close  # nothing was pressed


def test_commands_still_work_during_onboarding() -> None:
    chat = at_step("quiet")

    helped = chat.send(typed("/help"))
    assert keys(helped) == ["help", "signposting"]
    assert helped.state == State("onboarding", "quiet")

    restarted = chat.send(typed("/start"))
    assert keys(restarted) == ["welcome", "consent_what", "consent_ask"]
    assert restarted.state == State("onboarding", "consent")


def test_an_onboarding_button_after_onboarding_does_not_ask_for_consent_again() -> None:
    # Regression: a leftover onboarding button (a repeated question's copy) pressed after
    # onboarding asked for consent again, and "I agree" on it started onboarding over.
    chat = Chat(person("given"))

    for data in ("ob:practice:coming", "ob:consent:agree", "ob:format:voice", "ob:zz"):
        result = chat.send(press(data))
        assert result == Result(IDLE, close=True, toast="old_button"), data
    assert chat.person.consent == "given"
