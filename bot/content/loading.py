"""Reading content YAML so that every mapping remembers its line, and every problem can
name where it is: a coach fixing a file needs "line 42", not a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class Located(dict[Any, Any]):
    """A mapping read from YAML, with the line of itself and of each of its keys."""

    def __init__(
        self, items: dict[Any, Any], line: int = 0, lines: dict[Any, int] | None = None
    ) -> None:
        super().__init__(items)
        self.line = line
        self.lines = lines or {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """yaml.safe_load, but mappings come back as Located and a key given twice is an error
    (PyYAML would quietly keep the last one)."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    lines: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice", key_node.start_mark
            )
        lines[key] = key_node.start_mark.line + 1
    items = loader.construct_mapping(node, deep=True)
    return Located(items, node.start_mark.line + 1, lines)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path, error: type[Exception]) -> Located:
    """The file's top mapping; `error` (naming the file and line) for anything else."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: the content file is missing") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise error(f"{path}: cannot be read: {problem}") from None
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        raise error(f"{path}, {where}: {problem.problem}") from None
    if not isinstance(raw, Located):
        raise error(f"{path}: expected a mapping at the top")
    return raw
