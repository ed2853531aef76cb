"""Importing aiogram without building every Telegram type up front.

`import aiogram` validates nothing, yet it makes pydantic build the validators of all of
its ~300 Telegram types at once (aiogram/types/__init__.py calls `model_rebuild` on each,
handing over the names their annotations use): about 135 MB that a worker keeps for its
life, most of it for types Waymark never sees (payments, stickers, business accounts...).
aiogram already declares its types `defer_build=True`. `import_aiogram` lets that stand:
during the import those calls only put the names where pydantic will look for them (each
type's module), and a type is built the first time one is validated, as pydantic does
for any deferred model. What is built is what is used: an update, a message, a button.

bench/memory.py measures it; tests/integration/test_aiogram_import.py checks that
updates and the methods Waymark calls still validate, in a fresh interpreter.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel


def import_aiogram() -> None:
    """Import aiogram with its types' validators deferred (nothing to do if it is already
    imported: then they were built, and stay so)."""
    if "aiogram" in sys.modules:
        return
    built = BaseModel.__dict__["model_rebuild"]  # the classmethod itself

    def deferred(cls: type[BaseModel], /, **options: Any) -> bool | None:
        names = options.get("_types_namespace")
        if names is None or options.get("force") or not cls.__module__.startswith("aiogram."):
            return built.__func__(cls, **options)  # type: ignore[no-any-return]
        module = vars(sys.modules[cls.__module__])
        for name, value in names.items():
            module.setdefault(name, value)  # where a deferred build resolves its names
        return None

    setattr(BaseModel, "model_rebuild", classmethod(deferred))  # noqa: B010
    try:
        import aiogram  # noqa: F401 (the import this is for)
    finally:
        setattr(BaseModel, "model_rebuild", built)  # noqa: B010
