"""Errors that a person at the command line, a form or the API can act on."""

from __future__ import annotations


class WaymarkError(Exception):
    """Bad input or a missing thing, said in words a coach understands."""


class NotFound(WaymarkError):
    pass


class Invalid(WaymarkError):
    """Bad input. `problems` names each field it is about (the field's key, as the
    service calls it) with its message: a form shows each beside its field, the API
    answers them under their keys, the command line prints them."""

    def __init__(self, message: str = "", problems: dict[str, str] | None = None) -> None:
        self.problems: dict[str, str] = dict(problems or {})
        super().__init__(message or "; ".join(self.problems.values()))

    @classmethod
    def of(cls, field: str, message: str) -> Invalid:
        """One problem, with one field."""
        return cls(message, {field: message})


class Duplicate(WaymarkError):
    pass
