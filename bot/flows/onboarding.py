"""Onboarding: welcome, consent, four tap-only questions, then a practice reminder.

The fourth asks whether a lock screen may show what a message is about ("discreet
previews"); the first answer, private, is what a person gets if they never choose.

```mermaid
stateDiagram-v2
    [*] --> consent: start
    consent --> format: agree
    consent --> [*]: not_now
    format --> reminders: words, pictures or voice
    reminders --> quiet: recommended or fewer
    quiet --> discreet: none, after 21:00 or after 22:00
    discreet --> practice: private or show all
    practice --> [*]: any reminder button
```
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.flows.types import (
    IDLE,
    Button,
    ConsentDeclined,
    ConsentGiven,
    Engaged,
    Event,
    Incoming,
    Kind,
    OnboardingFinished,
    PersonView,
    PreferenceChosen,
    Result,
    Say,
    State,
)

FLOW = "onboarding"
PREFIX = "ob"
START = "[*]"


@dataclass(frozen=True)
class Question:
    asks: tuple[str, ...]  # content keys said before the buttons (the last one has them)
    choices: tuple[tuple[str, ...], ...]  # rows of button keys
    next_step: str


PRACTICE_ANSWERS = (("coming", "late"), ("cant_come", "directions"))
QUESTIONS: dict[str, Question] = {
    "consent": Question(("consent_what", "consent_ask"), (("agree", "not_now"),), "format"),
    "format": Question(("ask_format",), (("words", "pictures", "voice"),), "reminders"),
    "reminders": Question(("ask_reminders",), (("recommended",), ("fewer",)), "quiet"),
    "quiet": Question(("ask_quiet",), (("quiet_none",), ("quiet_21", "quiet_22")), "discreet"),
    "discreet": Question(("ask_discreet",), (("discreet_on",), ("discreet_off",)), "practice"),
    "practice": Question(("practice_intro", "practice_reminder"), PRACTICE_ANSWERS, START),
}
QUIET_FROM = {"quiet_none": None, "quiet_21": "21:00", "quiet_22": "22:00"}
DISCREET = {"discreet_on": "on", "discreet_off": "off"}


def ask(step: str, person: PersonView) -> tuple[Say, ...]:
    question = QUESTIONS[step]
    rows = tuple(
        tuple(Button(choice, f"{PREFIX}:{step}:{choice}") for choice in row)
        for row in question.choices
    )
    variables = {"name": person.name}
    *before, last = question.asks
    return (*(Say(key, variables) for key in before), Say(last, variables, rows))


def start(person: PersonView) -> Result:
    welcome = Say("welcome", {"name": person.name})
    return Result(State(FLOW, "consent"), say=(welcome, *ask("consent", person)))


def handle(state: State, incoming: Incoming, person: PersonView) -> Result:
    if state.flow != FLOW and person.consent == "given":  # a button left from onboarding
        return Result(state, close=True, toast="old_button")
    step = state.step if state.step in QUESTIONS else "consent"
    prefix, _, rest = incoming.button.partition(":")
    pressed_step, _, choice = rest.partition(":")
    question = QUESTIONS[step]
    valid = {c for row in question.choices for c in row}
    if incoming.kind is not Kind.BUTTON or prefix != PREFIX:
        return Result(state, say=(Say("tap_a_button"), *ask(step, person)))
    if pressed_step != step or choice not in valid:  # an old question's button
        return Result(state, say=ask(step, person), close=True, toast="tap_a_button")
    return _answer(step, choice, person)


def _answer(step: str, choice: str, person: PersonView) -> Result:
    name = {"name": person.name}
    next_step = QUESTIONS[step].next_step
    events: list[Event] = []
    say: list[Say] = []
    if step == "consent" and choice == "not_now":
        return Result(
            IDLE,
            say=(Say("consent_declined"),),
            events=(ConsentDeclined(),),
            close=True,
            chosen=choice,
        )
    if step == "consent":
        events.append(ConsentGiven())
    elif step == "format":
        events.append(PreferenceChosen("format", choice))
        if choice != "words":  # said in the format just chosen, so they see what it is like
            say.append(Say("format_pictures" if choice == "pictures" else "format_voice"))
    elif step == "reminders":
        events.append(PreferenceChosen("reminder_plan", choice))
    elif step == "quiet":
        events.append(PreferenceChosen("quiet_from", QUIET_FROM[choice]))
    elif step == "discreet":
        events.append(PreferenceChosen("discreet", DISCREET[choice]))
    elif step == "practice":
        events += [Engaged("practice_reminder", {"answer": choice}), OnboardingFinished()]
        say += [Say("practice_done", name), Say("onboarding_done", name)]
    if next_step == START:
        return Result(IDLE, say=tuple(say), events=tuple(events), close=True, chosen=choice)
    say += ask(next_step, person)
    return Result(State(FLOW, next_step), tuple(say), tuple(events), close=True, chosen=choice)
