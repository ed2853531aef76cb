"""The real content library against the code: every key the code uses exists, found by
reading the code (ast), and every key it cannot read comes from data that is checked.
The writing targets are test_content_writing.py's."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content.library import load_content
from bot.conversation.service import LINK_REPLIES
from bot.domain.planner import SLOT_MESSAGES, Slot
from bot.flows import checkin, mood, onboarding, reminder_replies, router, snooze
from bot.rendering.renderer import AGAIN_BUTTONS, MISSING
from bot.services import schedules

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("bot", "scheduler")
CONTENT = load_content()


# Finding the keys the code uses --------------------------------------------------------


@dataclass(frozen=True)
class Use:
    table: str  # messages | buttons | alert_kinds
    where: str  # file:line
    key: str | None  # None: the scan cannot read it (see DATA_KEYS)
    expression: str


def _calls_to(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        owner = ast.unparse(func.value)
        return f"renderer.{func.attr}" if owner.endswith("renderer") else func.attr
    return ""


# Which argument of which call, or which keyword, names a key of which table.
POSITIONAL = {
    "Say": ("messages", 0),
    "_say": ("messages", 0),
    "renderer.text": ("messages", 0),
    "Button": ("buttons", 0),
    "AlertRaised": ("alert_kinds", 0),
    "raise_alert": ("alert_kinds", 3),
}


KEYWORDS = {
    "key": "messages",
    "toast": "messages",
    "content_key": "messages",
    "chosen": "buttons",
}


def _resolve(expression: ast.expr, function: ast.AST | None) -> set[str] | None:
    """The string values an expression can have, or None when that is not in the source
    (a parameter, a lookup in a data table, an f-string)."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        body, orelse = _resolve(expression.body, function), _resolve(expression.orelse, function)
        return None if body is None or orelse is None else body | orelse
    if isinstance(expression, ast.Name) and function is not None:
        values = [
            node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == expression.id for t in node.targets)
        ]
        if not values:
            return None
        found: set[str] = set()
        for value in values:
            resolved = _resolve(value, function)
            if resolved is None:
                return None
            found |= resolved
        return found
    return None


def _functions(tree: ast.Module) -> dict[ast.AST, ast.AST | None]:
    """Each node, mapped to the function that holds it (None at module level)."""
    holder: dict[ast.AST, ast.AST | None] = {}

    def visit(node: ast.AST, function: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else None
            holder[child] = function
            visit(child, inner or function)

    visit(tree, None)
    return holder


def _uses_in(path: Path) -> Iterator[Use]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    holder = _functions(tree)
    where_file = path.relative_to(ROOT).as_posix()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        found: list[tuple[str, ast.expr]] = []
        name = _calls_to(node)
        if name in POSITIONAL:
            table, index = POSITIONAL[name]
            if len(node.args) > index:
                found.append((table, node.args[index]))
        for keyword in node.keywords:
            if keyword.arg == "key" and name != "Say":
                continue  # key= elsewhere is an outbox row's own key, not content
            if keyword.arg in KEYWORDS:
                found.append((KEYWORDS[keyword.arg], keyword.value))
        for table, expression in found:
            if isinstance(expression, ast.Constant) and expression.value is None:
                continue  # toast=None, chosen=None: nothing to look up
            values = _resolve(expression, holder.get(node))
            where = f"{where_file}:{node.lineno}"
            text = ast.unparse(expression)
            for key in sorted(values) if values is not None else [None]:
                yield Use(table, where, key, text)


def _returned_keys(path: Path) -> Iterator[Use]:
    """String constants returned by a function named like `reminder_key`: message keys."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where_file = path.relative_to(ROOT).as_posix()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef) or not function.name.endswith("_key"):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None:
                values = _resolve(node.value, function)
                for key in sorted(values or ()):
                    yield Use("messages", f"{where_file}:{node.lineno}", key, key)


def _all_uses() -> list[Use]:
    paths = sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))
    assert len(paths) > 10, "the scan found too few source files to be meaningful"
    return [use for path in paths for use in (*_uses_in(path), *_returned_keys(path))]


USES = _all_uses()


TABLES: dict[str, dict[str, object]] = {
    "messages": dict(CONTENT.messages),
    "buttons": dict(CONTENT.buttons),
    "alert_kinds": dict(CONTENT.alert_kinds),
}


# Keys the scan cannot read from the call itself, each with where its values come from;
# those are checked by the tests below. A new entry here needs a matching check.
DATA_KEYS = {
    ("bot/flows/onboarding.py", "key"): "onboarding.QUESTIONS asks",
    ("bot/flows/onboarding.py", "last"): "onboarding.QUESTIONS asks",
    ("bot/flows/onboarding.py", "choice"): "onboarding.QUESTIONS choices",
    ("bot/flows/reminder_replies.py", "answer"): "reminder_replies.ANSWERS",
    ("bot/flows/reminder_replies.py", "REPLIES[answer]"): "reminder_replies.REPLIES",
    ("bot/flows/reminder_replies.py", "ALERTS[answer]"): "reminder_replies.ALERTS",
    ("bot/flows/pause.py", "f'stop_{answer}'"): "the stop_yes and stop_no buttons",
    ("bot/conversation/service.py", "LINK_REPLIES[linked.outcome]"): "conversation.LINK_REPLIES",
    ("bot/conversation/service.py", "key"): "the callers of _say, scanned",
    ("bot/conversation/service.py", "result.toast"): "the toast= of every flow, scanned",
    ("bot/conversation/service.py", "toast"): "Reply.toast holds words already rendered, not a key",
    ("bot/rendering/renderer.py", "key"): "the callers of Renderer.text, scanned",
    ("bot/services/outbox.py", "content_key"): "the callers of outbox.enqueue, scanned",
    ("bot/services/appointments.py", "slot.content_key"): "planner.SLOT_MESSAGES and Slot",
    ("bot/services/events.py", "event.kind"): "AlertRaised kinds, scanned",
    ("scheduler/preparing.py", "key"): "row.content_key, and *_key functions, scanned",
    ("scheduler/preparing.py", "row.content_key"): "content_key= of every row, scanned",
    ("bot/flows/reminder_replies.py", "CALENDAR"): "reminder_replies.CALENDAR",
    (
        "bot/conversation/service.py",
        "row.content_key",
    ): "a sent_message row: an unknown key is refused",
    ("bot/services/sent.py", "say.key"): "the key of a Say, scanned where the Say is made",
    ("bot/cli/content.py", "key"): "the KEY a coach types; an unknown one is refused",
    ("bot/rendering/preview.py", "key"): "the item the content editor names; unknown is refused",
    ("bot/services/timeline.py", "row.content_key"): "a sent_message row; unknown is skipped",
    ("bot/services/sent_words.py", "row.content_key"): "a sent_message row; unknown is skipped",
    (
        "bot/conversation/service.py",
        "self._renderer.text('old_button', person.language)",
    ): "words already rendered by renderer.text('old_button'), scanned",
    ("bot/flows/checkin.py", "f'checkin_{a}'"): "checkin.ANSWERS as buttons",
    ("bot/flows/checkin.py", "f'checkin_{answer}'"): "checkin.ANSWERS as buttons",
    ("bot/flows/checkin.py", "REPLIES[answer]"): "checkin.REPLIES",
    ("bot/flows/checkin.py", "f'scale_{n}'"): "checkin.SCALE as buttons",
    ("bot/flows/checkin.py", "f'scale_{value}'"): "checkin.SCALE as buttons",
    ("bot/flows/mood.py", "f'mood_{c}'"): "mood.COLOURS as buttons",
    ("bot/flows/about_me.py", "f'aboutme_{step}'"): "about_me.STEPS (test_about_me_words)",
    ("bot/flows/about_me.py", "f'aboutme_show_{topic}'"): "about_me.TOPICS (test_about_me_words)",
    ("bot/flows/about_me.py", "f'{PREFIX}_{step}_{c}'"): "about_me.TOPICS (test_about_me_words)",
    (
        "bot/flows/about_me.py",
        "f'{PREFIX}_{step}_{answer}'",
    ): "about_me.TOPICS (test_about_me_words)",
    ("bot/flows/about_me.py", "f'am_{answer}'"): "am_done and am_skip (test_about_me_words)",
    ("bot/flows/about_me.py", "chosen"): "am_done and am_skip (test_about_me_words)",
    ("bot/flows/mood.py", "f'mood_{colour}'"): "mood.COLOURS as buttons",
    ("bot/flows/mood.py", "f'mood_{colour}_reply'"): "mood.COLOURS as replies",
    ("bot/flows/snooze.py", "f'snooze_{c}'"): "snooze.CHOICES as buttons",
    ("bot/flows/snooze.py", "f'snooze_{choice}'"): "snooze.CHOICES as buttons",
    ("bot/flows/snooze.py", "f'snoozed_{choice}'"): "snooze.CHOICES as replies",
    ("bot/services/schedules.py", "CONTENT.get(schedule.kind, 'nudge')"): "schedules.CONTENT",
    ("bot/services/coaching.py", "row.content_key"): "a copy of a row's own key, scanned",
    ("bot/services/nudges.py", "content_key"): "a key the coach names; unknown is refused",
    ("bot/cli/plans.py", "key"): "the --key a coach types; an unknown one is refused",
    ("scheduler/coaching_rows.py", "str(nudge.content_key)"): "checked when the nudge is made",
    ("scheduler/preparing.py", "row"): "Say(row.content_key, ...) of an outbox row, scanned",
}


def test_the_scan_finds_the_keys_it_should() -> None:
    # If the scan stopped seeing calls, every check below would pass on nothing.
    found = {(use.table, use.key) for use in USES}

    assert {
        ("messages", "welcome_back"),  # Say("...") in router.py
        ("messages", "media_not_understood"),  # a "..." if ... else "..." in router.py
        ("messages", "kept_going"),  # the same, in pause.py
        ("messages", "coach_chat"),  # self._say("...") in conversation.py
        ("messages", "you_said"),  # self._renderer.text("...") in conversation.py
        ("messages", "tap_a_button"),  # toast="..." in onboarding.py
        ("messages", "missed_followup"),  # content_key="..." in services/appointments.py
        ("buttons", "stop_yes"),  # Button("...") and chosen="..." in pause.py
        ("alert_kinds", "unreachable"),  # raise_alert(..., "...") in services/events.py
    } <= found


@pytest.mark.parametrize("use", [u for u in USES if u.key is not None], ids=str)
def test_every_key_written_in_the_code_exists(use: Use) -> None:
    assert use.key in TABLES[use.table], f"{use.where}: no {use.table} key {use.key!r}"


def test_every_key_the_scan_cannot_read_comes_from_checked_data() -> None:
    unread = {(use.where.rpartition(":")[0], use.expression) for use in USES if use.key is None}

    unexplained = unread - DATA_KEYS.keys()
    assert not unexplained, f"add these to DATA_KEYS with a check of their data: {unexplained}"


def test_the_onboarding_questions_name_real_messages_and_buttons() -> None:
    for step, question in onboarding.QUESTIONS.items():
        for key in question.asks:
            assert key in CONTENT.messages, f"{step}: no message {key!r}"
        for row in question.choices:
            for choice in row:
                assert choice in CONTENT.buttons, f"{step}: no button {choice!r}"


def test_the_reminder_answers_name_real_messages_buttons_and_alert_kinds() -> None:
    assert set(reminder_replies.REPLIES) == set(reminder_replies.ANSWERS)
    for answer in reminder_replies.ANSWERS:
        assert answer in CONTENT.buttons
        assert reminder_replies.REPLIES[answer] in CONTENT.messages
    for kind in reminder_replies.ALERTS.values():
        assert kind in CONTENT.alert_kinds


def test_the_coaching_flows_name_real_messages_and_buttons() -> None:
    for answer in checkin.ANSWERS:
        assert f"checkin_{answer}" in CONTENT.buttons
        assert checkin.REPLIES[answer] in CONTENT.messages
    assert {f"scale_{n}" for n in checkin.SCALE} <= CONTENT.buttons.keys()
    for colour in mood.COLOURS:
        assert f"mood_{colour}" in CONTENT.buttons
        assert f"mood_{colour}_reply" in CONTENT.messages
    for choice in snooze.CHOICES:
        assert f"snooze_{choice}" in CONTENT.buttons
        assert f"snoozed_{choice}" in CONTENT.messages
    assert set(schedules.CONTENT.values()) | {"nudge"} <= CONTENT.messages.keys()


def test_the_stop_buttons_exist() -> None:
    assert {"stop_yes", "stop_no"} <= CONTENT.buttons.keys()


def test_the_calendar_and_media_buttons_exist() -> None:
    assert reminder_replies.CALENDAR in CONTENT.buttons
    assert {key for _, key in AGAIN_BUTTONS} <= CONTENT.buttons.keys()
    assert MISSING in CONTENT.messages
    assert not CONTENT.message(MISSING).variables()  # the fallback needs nothing filled in


def test_the_slot_and_link_messages_exist() -> None:
    for key in [*SLOT_MESSAGES.values(), *LINK_REPLIES.values()]:
        assert key in CONTENT.messages
    assert Slot("lead-90m", LONG_AGO).content_key in CONTENT.messages


def test_every_command_in_the_menu_has_a_description_in_the_same_order() -> None:
    assert list(CONTENT.commands) == list(router.COMMANDS)
