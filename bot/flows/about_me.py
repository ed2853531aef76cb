"""About me: the person's communication passport, built in the chat.

Six tap-first questions (how they like to be spoken to, what helps them understand, what
makes things hard, their best time of day, what to do if they are overwhelmed, their
format), each answered with buttons or in their own words; then anything else, written
or as a voice note; then whether IOM staff who work with them may see it. /aboutme shows
what they said, and lets them change it or change who sees it.

```mermaid
stateDiagram-v2
    [*] --> spoken: /aboutme, none yet or change
    [*] --> menu: /aboutme, made already
    menu --> spoken: change
    menu --> share: who sees it
    menu --> [*]: all good
    spoken --> understand
    understand --> hard: done
    hard --> time: done
    time --> overwhelmed
    overwhelmed --> format
    format --> words
    words --> share: done, words or a voice note
    share --> [*]: yes or no
```
"""

from __future__ import annotations

from typing import Any

from bot.flows.types import (
    IDLE,
    AboutMeSaved,
    Button,
    ConsentRecorded,
    Event,
    Incoming,
    Kind,
    PersonView,
    Result,
    Say,
    State,
)

FLOW = "aboutme"
PREFIX = "am"
PURPOSE = "passport"
# Each question: its choices (codes), and whether several may be chosen.
TOPICS: dict[str, tuple[tuple[str, ...], bool]] = {
    "spoken": (("simple", "calm", "direct"), False),
    "understand": (("written", "pictures", "read_out", "extra_time"), True),
    "hard": (("noise", "waiting_rooms", "phone_calls", "crowds"), True),
    "time": (("morning", "afternoon", "evening", "any"), False),
    "overwhelmed": (("break", "quiet", "coach", "later"), False),
    "format": (("words", "pictures", "voice"), False),
}
STEPS = (*TOPICS, "words", "share")
WORDS_MAX = 200  # their own words for one question


def start(person: PersonView) -> Result:
    """/aboutme: what they said, with what they can do; or the first question."""
    if person.consent != "given":
        return Result(IDLE, say=(Say("not_understood"),))
    if not person.about_me:
        return _ask(_begin(person), "spoken", intro=True)
    return Result(IDLE, say=(*shown(person.about_me), _menu(person)))


def shown(about_me: dict[str, Any]) -> tuple[Say, ...]:
    """One message for each question they answered, then their other words."""
    says = []
    for topic in TOPICS:
        chosen = " ".join(f"@{PREFIX}_{topic}_{code}" for code in about_me.get(topic, ()))
        words = str(about_me.get(f"{topic}_words", ""))
        if chosen or words:
            choice = f"{chosen}|{words}" if chosen else words
            says.append(Say(f"aboutme_show_{topic}", {"choice": choice}))
    if about_me.get("words"):
        says.append(Say("aboutme_show_words", {"text": str(about_me["words"])}))
    return tuple(says)


def handle(state: State, incoming: Incoming, person: PersonView) -> Result:
    """A button of this flow, or words or a voice note while a question waits."""
    if incoming.kind is Kind.BUTTON:
        step, _, answer = incoming.button.removeprefix(f"{PREFIX}:").partition(":")
        if step == "menu":
            return _menu_choice(answer, person)
        if state.flow != FLOW or step != state.step:
            return Result(state, toast="old_button", close=True)
        return _answer(state, step, answer, person)
    if state.flow != FLOW or state.step == "share":
        return _ask(state, state.step) if state.flow == FLOW else Result(state)
    if incoming.kind is Kind.MEDIA and incoming.media_id:
        data = dict(state.data) | {"voice": incoming.media_id}
        return _next(State(FLOW, state.step, data), state.step)
    words = " ".join(incoming.text.split())[:WORDS_MAX]
    if not words:
        return _ask(state, state.step)
    key = "words" if state.step == "words" else f"{state.step}_words"
    answers = dict(state.data.get("answers", {})) | {key: words}
    return _next(State(FLOW, state.step, dict(state.data) | {"answers": answers}), state.step)


def _begin(person: PersonView) -> State:
    return State(FLOW, "spoken", {"answers": dict(person.about_me or {}), "touched": []})


def _menu(person: PersonView) -> Say:
    buttons = (
        (Button("am_change", f"{PREFIX}:menu:change"),),
        (Button("am_who", f"{PREFIX}:menu:share"),),
        (Button("am_ok", f"{PREFIX}:menu:ok"),),
    )
    key = "aboutme_menu_shared" if person.shares_about_me else "aboutme_menu_private"
    return Say(key, buttons=buttons)


def _menu_choice(answer: str, person: PersonView) -> Result:
    if person.consent != "given":
        return Result(IDLE, toast="old_button", close=True)
    match answer:
        case "change":
            result = _ask(_begin(person), "spoken")
            return Result(result.state, say=result.say, close=True, chosen="am_change")
        case "share":
            state = State(FLOW, "share", {"answers": dict(person.about_me or {}), "only": True})
            return Result(state, say=(_share_question(),), close=True, chosen="am_who")
        case "ok":
            return Result(IDLE, say=(Say("aboutme_ok"),), close=True, chosen="am_ok")
    return Result(IDLE, toast="not_understood", close=True)


def _answer(state: State, step: str, answer: str, person: PersonView) -> Result:
    if step == "share" and answer in ("yes", "no"):
        return _finish(state, answer == "yes", person)
    if step == "words" and answer == "done":
        return _next(state, step, chosen="am_done")
    if step not in TOPICS:
        return Result(state, toast="not_understood", close=True)
    codes, several = TOPICS[step]
    if answer in ("done", "skip"):
        return _next(state, step, chosen=f"am_{answer}")
    if answer not in codes:
        return Result(state, toast="not_understood", close=True)
    answers = dict(state.data.get("answers", {}))
    touched = list(state.data.get("touched", []))
    if not several:
        answers[step] = [answer]
        data = dict(state.data) | {"answers": answers}
        return _next(State(FLOW, step, data), step, chosen=f"{PREFIX}_{step}_{answer}")
    before = list(answers.get(step, [])) if step in touched else []
    added = answer not in before
    answers[step] = [*before, answer] if added else [c for c in before if c != answer]
    data = dict(state.data) | {"answers": answers, "touched": sorted({*touched, step})}
    return Result(State(FLOW, step, data), toast="aboutme_added" if added else "aboutme_removed")


def _next(state: State, step: str, *, chosen: str | None = None) -> Result:
    following = STEPS[STEPS.index(step) + 1]
    asked = _ask(State(FLOW, following, dict(state.data)), following)
    return Result(asked.state, say=asked.say, close=chosen is not None, chosen=chosen)


def _ask(state: State, step: str, *, intro: bool = False) -> Result:
    if step == "share":
        return Result(state, say=(_share_question(),))
    if step in TOPICS:
        codes, several = TOPICS[step]
        choices = [Button(f"{PREFIX}_{step}_{c}", f"{PREFIX}:{step}:{c}") for c in codes]
        rows = [tuple(choices[i : i + 2]) for i in range(0, len(choices), 2)]
        # Several: tap each, then Done. One: tap it, or Skip.
        last = Button("am_done", f"{PREFIX}:{step}:done") if several else None
        rows.append((last or Button("am_skip", f"{PREFIX}:{step}:skip"),))
    else:
        rows = [(Button("am_done", f"{PREFIX}:words:done"),)]
    question = Say(f"aboutme_{step}", buttons=tuple(rows))
    return Result(state, say=(Say("aboutme_intro"), question) if intro else (question,))


def _share_question() -> Say:
    buttons = (
        (Button("am_share_yes", f"{PREFIX}:share:yes"),),
        (Button("am_share_no", f"{PREFIX}:share:no"),),
    )
    return Say("aboutme_share", buttons=buttons)


def _finish(state: State, share: bool, person: PersonView) -> Result:
    no = "withdrawn" if person.shares_about_me else "declined"
    events: list[Event] = [ConsentRecorded(PURPOSE, "given" if share else no)]
    if not state.data.get("only"):
        answers = dict(state.data.get("answers", {}))
        words = str(answers.pop("words", ""))
        voice = str(state.data.get("voice", ""))
        events.insert(0, AboutMeSaved(answers, words, voice))
    key = "aboutme_saved_shared" if share else "aboutme_saved_private"
    chosen = "am_share_yes" if share else "am_share_no"
    return Result(IDLE, say=(Say(key),), events=tuple(events), close=True, chosen=chosen)
