"""Each flow's Mermaid diagram is kept in step with what the flow really does."""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

import pytest

import bot.flows
from bot.flows import onboarding, reminder_replies, router
from bot.flows.types import IDLE, Incoming, Kind, Result, State
from tests.flows.transcript import person, press, typed

NOT_FLOWS = {"types"}  # the vocabulary flows share, not a flow
START_END = "[*]"


def flow_modules() -> list[ModuleType]:
    names = sorted(info.name for info in pkgutil.iter_modules(bot.flows.__path__))
    return [importlib.import_module(f"bot.flows.{name}") for name in names if name not in NOT_FLOWS]


def mermaid(module: ModuleType) -> str:
    match = re.search(r"```mermaid\n(.*?)```", module.__doc__ or "", re.S)
    assert match is not None, f"{module.__name__} has no Mermaid diagram in its docstring"
    return match.group(1)


def test_the_flow_modules_are_found() -> None:
    names = {module.__name__.rpartition(".")[2] for module in flow_modules()}

    assert {"onboarding", "router", "reminder_replies", "pause", "help"} <= names


@pytest.mark.parametrize("module", flow_modules(), ids=lambda m: m.__name__)
def test_every_flow_has_a_diagram(module: ModuleType) -> None:
    diagram = mermaid(module)

    assert diagram.split()[0] in {"stateDiagram-v2", "flowchart"}
    assert "-->" in diagram


# Onboarding: the transitions the code takes are exactly the diagram's edges --------------


def state_edges(diagram: str) -> set[tuple[str, str]]:
    edges = set()
    for line in diagram.splitlines()[1:]:
        match = re.fullmatch(r"\s*(\S+)\s*-->\s*([^:\s]+)\s*(?::.*)?", line)
        if match:
            edges.add((match.group(1), match.group(2)))
    return edges


def step_of(state: State) -> str:
    return state.step if state.flow == onboarding.FLOW else START_END


def taken_transitions() -> set[tuple[str, str]]:
    """Start onboarding, then press every button every step shows, following each."""
    who = person("pending")
    first = onboarding.start(who)
    taken = {(START_END, step_of(first.state))}
    shown: list[tuple[State, Result]] = [(first.state, first)]
    seen: set[str] = set()
    while shown:
        state, result = shown.pop()
        if state.step in seen or step_of(state) == START_END:
            continue
        seen.add(state.step)
        buttons = [button for say in result.say for row in say.buttons for button in row]
        assert buttons, f"step {state.step} shows no buttons"
        for button in buttons:
            after = onboarding.handle(state, press(button.data), who)
            taken.add((state.step, step_of(after.state)))
            shown.append((after.state, after))
    assert seen == set(onboarding.QUESTIONS), "some questions were never reached"
    return taken


def test_the_onboarding_diagram_matches_the_transitions_taken() -> None:
    drawn = state_edges(mermaid(onboarding))

    assert taken_transitions() == drawn


def test_the_onboarding_diagram_parser_reads_edges_and_labels() -> None:
    drawn = state_edges("stateDiagram-v2\n    [*] --> a: go\n    a --> [*]\n    a --> b: x, y\n")

    assert drawn == {("[*]", "a"), ("a", "[*]"), ("a", "b")}


# Router: every command and every handled button prefix is drawn --------------------------


def labels_from(diagram: str, source: str) -> set[str]:
    return set(re.findall(rf"^\s*{re.escape(source)}\s*-->\|([^|]+)\|", diagram, re.M))


def handled_prefixes() -> set[str]:
    """The prefixes whose buttons the router hands to a flow rather than refusing."""
    who = person("pending")
    refused = router.route(IDLE, press("zz:no"), who)
    candidates = {module.PREFIX for module in flow_modules() if hasattr(module, "PREFIX")}
    assert refused == Result(IDLE, toast="not_understood", close=True)
    samples = {
        "ob": "ob:consent:agree",
        "ap": "ap:1:1:coming",
        "st": "st:no",
        "dd": "dd:no",
        "am": "am:menu:ok",
        "ci": "ci:1:done",
        "cf": "cf:1:5",
        "md": "md:green",
        "qd": "qd:yes",
        "tc": "tc:start",
        "sz": "sz:1:hour",
    }
    handled = set()
    for prefix in candidates | set(samples):
        data = samples.get(prefix, f"{prefix}:x")
        if router.route(IDLE, press(data), who) != refused:
            handled.add(prefix)
    return handled


def test_every_command_is_drawn_in_the_router_diagram() -> None:
    drawn = {label.lstrip("/") for label in labels_from(mermaid(router), "command")}

    assert drawn == set(router.COMMANDS)


def test_every_drawn_command_is_answered() -> None:
    for command in router.COMMANDS:
        result = router.route(IDLE, typed(f"/{command}"), person())
        assert result.say, command
        assert result.say[0].key != "not_understood", command


def test_every_handled_button_prefix_is_drawn_in_the_router_diagram() -> None:
    drawn = {
        prefix for label in labels_from(mermaid(router), "button") for prefix in label.split(", ")
    }

    assert (
        handled_prefixes()
        == drawn
        == {"ob", "ap", "st", "dd", "am", "ci", "cf", "md", "qd", "tc", "sz"}
    )


def test_every_reminder_answer_is_drawn() -> None:
    drawn = labels_from(mermaid(reminder_replies), "reminder")

    buttons = {*reminder_replies.ANSWERS, reminder_replies.CALENDAR}
    assert buttons <= drawn
    assert drawn - buttons == {"moved, cancelled or past"}


def test_words_in_onboarding_go_to_onboarding_as_drawn() -> None:
    drawn = labels_from(mermaid(router), "words")
    in_onboarding = router.route(State(onboarding.FLOW, "format"), typed("hi"), person())
    to_coach = router.route(State("coach", "waiting"), typed("hi"), person())
    elsewhere = router.route(IDLE, Incoming(Kind.TEXT, text="hi"), person())

    assert drawn == {"onboarding", "talking to the coach", "building About me", "no"}
    assert in_onboarding.say[0].key == "tap_a_button"
    assert to_coach.say[0].key == "relay_sent"
    assert elsewhere.say[0].key == "not_understood"
