"""What goes over the wire between a bot and the stand-in Bot API: the types, the error
answers shaped like Telegram's, and the reading of a request's parameters. Bodies may be
JSON, urlencoded or multipart; form values are decoded (JSON strings to objects,
integer-looking strings to ints, "true"/"false" to bools) so a recorded `Call` looks the
same whichever way it was sent."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

JSON = dict[str, Any]
ChatId = int | str
Files = dict[str, tuple[str, bytes]]
Handler = Callable[[JSON, Files], Any]

INT = re.compile(r"-?\d+")
# Parameters that are always strings, even when they look like numbers, booleans or JSON.
_STRING_FIELDS = frozenset(
    {"text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "title"}
    | {"description", "short_description", "name", "query", "emoji", "action", "performer"}
    | {"inline_message_id", "file_id", "language_code", "business_connection_id"}
    | {"photo", "voice", "audio", "document", "sticker", "video", "animation", "thumbnail"}
)
# JSON-body parameters that some clients send as numeric strings or as JSON-encoded strings.
_INT_FIELDS = {"chat_id", "from_chat_id", "message_id", "user_id", "offset", "limit", "timeout"}
_OBJECT_FIELDS = {"reply_markup", "entities", "caption_entities", "commands", "allowed_updates"}
_OBJECT_FIELDS |= {"media", "scope", "menu_button", "link_preview_options", "reply_parameters"}
ERRORS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class BotAPIError(Exception):
    """An error answer: HTTP status ``status`` with a Telegram error body."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad(description: str) -> BotAPIError:
    return BotAPIError(400, f"Bad Request: {description}")


@dataclass
class Call:
    """One request the server answered (``status`` 200 when it succeeded)."""

    method: str
    params: JSON
    files: Files
    time: float
    status: int = 200
    response: Any = None


def _decode_form_value(name: str, value: str) -> Any:
    if name in _STRING_FIELDS:
        return value
    if value in ("true", "false"):
        return value == "true"
    if INT.fullmatch(value):
        return int(value)
    if value.startswith(("{", "[")):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _normalise_json_value(name: str, value: Any) -> Any:
    if name in _INT_FIELDS and isinstance(value, str) and INT.fullmatch(value):
        return int(value)
    if name in _OBJECT_FIELDS and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def read_params(request: web.Request) -> tuple[JSON, Files]:
    params: JSON = {k: _decode_form_value(k, v) for k, v in request.query.items()}
    files: Files = {}
    if request.method != "POST" or not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params |= {k: _normalise_json_value(k, v) for k, v in body.items()}
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read())
            else:
                text = value if isinstance(value, str) else bytes(value).decode()
                params[key] = _decode_form_value(key, text)
    # A file may come in its parameter's own part (python-telegram-bot) or as
    # "attach://<part>" (aiogram); recorded the first way, a Call reads the same.
    for name, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
            files[name] = files.pop(value[9:])
            del params[name]
    return params, files
