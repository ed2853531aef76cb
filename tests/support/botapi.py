"""A stand-in Telegram Bot API server for tests, served by aiohttp on loopback.

Real client libraries (python-telegram-bot, aiogram 3) are pointed at ``StandInBotAPI.url`` and
talk to it unmodified: methods live at ``<url>/bot<token>/<method>`` and file downloads at
``<url>/file/bot<token>/<file_path>``. Bodies may be JSON, urlencoded or multipart; form values
are decoded (JSON strings to objects, integer-looking strings to ints, "true"/"false" to bools)
so a recorded ``Call`` looks the same whichever way it was sent. Results and errors are shaped
like Telegram's, the bot's messages are kept per chat (edits applied), pushed updates are served
by ``getUpdates`` (long polling included) and faults (429, 403, 5xx, delays) can be injected to
exercise retry logic::

    async with StandInBotAPI() as server:
        bot = telegram.Bot(server.token, base_url=f"{server.url}/bot")
        server.send_text(42, "/start")
        ...
        (call,) = await server.wait_for("sendMessage")
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import mimetypes
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.support.botapi_limits import RollingLimits

JSON = dict[str, Any]
ChatId = int | str
Files = dict[str, tuple[str, bytes]]
Handler = Callable[[JSON, Files], Any]

_INT = re.compile(r"-?\d+")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
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
_MEDIA = {  # kind -> (file_id prefix, download folder, default extension, default mime type)
    "photo": ("AgAC", "photos", ".jpg", "image/jpeg"),
    "voice": ("AwAC", "voice", ".oga", "audio/ogg"),
    "audio": ("CQAC", "music", ".mp3", "audio/mpeg"),
    "document": ("BQAC", "documents", "", "application/octet-stream"),
    "sticker": ("CAAC", "stickers", ".webp", "image/webp"),
}
_ERRORS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_SEND_PREFIXES = ("send", "copy", "forward", "edit")


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


def _bad(description: str) -> BotAPIError:
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


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    filename: str
    data: bytes
    mime_type: str


@dataclass
class Held:
    """A request the server keeps waiting (``StandInBotAPI.hold``): `arrived` is set when it
    comes in; it is answered (faults applied then) once the test calls ``release()``."""

    method: str
    chat_id: ChatId | None
    arrived: asyncio.Event
    released: asyncio.Event

    def release(self) -> None:
        self.released.set()


@dataclass
class _Fault:
    method: str
    times: int
    error: BotAPIError
    chat_id: ChatId | None


def _decode_form_value(name: str, value: str) -> Any:
    if name in _STRING_FIELDS:
        return value
    if value in ("true", "false"):
        return value == "true"
    if _INT.fullmatch(value):
        return int(value)
    if value.startswith(("{", "[")):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _normalise_json_value(name: str, value: Any) -> Any:
    if name in _INT_FIELDS and isinstance(value, str) and _INT.fullmatch(value):
        return int(value)
    if name in _OBJECT_FIELDS and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class StandInBotAPI:
    """An in-process Telegram Bot API on 127.0.0.1; see the module docstring."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107
        bot_username: str = "waymark_test_bot",
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Waymark",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._sender = {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        self.polls: list[Call] = []  # getUpdates calls, kept apart from ``calls``
        self._calls: list[Call] = []
        self._call_event = asyncio.Event()
        self._updates: list[JSON] = []
        self._update_event = asyncio.Event()
        self._next_update_id = 1
        self._allowed_updates: list[str] = []
        self._webhook: JSON = {"url": "", "has_custom_certificate": False}
        self._store: dict[ChatId, dict[int, JSON]] = {}
        self._last_message_id: dict[ChatId, int] = {}
        self._chats: dict[ChatId, JSON] = {}
        self._files: dict[str, StoredFile] = {}
        self._faults: list[_Fault] = []
        self._delays: list[tuple[str, float, list[int]]] = []
        self._holds: list[Held] = []
        self._blocked: set[ChatId] = set()
        self.limits: RollingLimits | None = None  # Telegram's flood limits, when set
        self._commands: dict[str, list[JSON]] = {}
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._closing = False
        handlers: dict[str, Handler] = {
            "getMe": lambda p, f: self.bot_user,
            "sendMessage": self._send_message,
            "copyMessage": self._copy_message,
            "editMessageText": self._edit_text,
            "editMessageCaption": self._edit_caption,
            "editMessageReplyMarkup": lambda p, f: self._edit(p, {}),
            "deleteMessage": self._delete_message,
            "getFile": lambda p, f: self._file_result(self._known_file(p.get("file_id"))),
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": lambda p, f: {
                **self._webhook,
                "pending_update_count": len(self._updates),
            },
            "setMyCommands": self._set_commands,
            "deleteMyCommands": self._delete_commands,
            "getMyCommands": lambda p, f: self._commands.get(self._scope_key(p), []),
            "sendChatAction": lambda p, f: self._chat_id(p) is not None,
        }
        for name in _MEDIA:
            handlers[f"send{name.capitalize()}"] = self._media_handler(name)
        for name in ("answerCallbackQuery", "setChatMenuButton", "leaveChat", "setMyDescription"):
            handlers[name] = lambda p, f: True
        self._handlers = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        if self._runner is None:
            raise RuntimeError("StandInBotAPI is not running; call start() first")
        return f"http://127.0.0.1:{self._port}"

    # -- recorded calls --------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        pool = self.polls if method.lower() == "getupdates" else self._calls
        return [call for call in pool if call.method.lower() == method.lower()]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(found := self.calls_to(method)) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = ", ".join(f"{c.method}({c.status})" for c in self._calls) or "none"
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, got {len(found)}; "
                    f"calls seen: {seen}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._call_event.wait(), remaining)
        return found

    def clear(self) -> None:
        self._calls.clear()
        self.polls.clear()

    # -- chat state ------------------------------------------------------------------------

    def messages(self, chat_id: ChatId) -> list[JSON]:
        """The bot's messages in a chat, oldest first, as they are now (edits applied)."""
        stored = self._store.get(chat_id, {}).values()
        return [copy.deepcopy(m) for m in stored if m["from"]["id"] == self.bot_user["id"]]

    def last_message(self, chat_id: ChatId) -> JSON | None:
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    def add_file(self, data: bytes, *, kind: str = "document", filename: str = "") -> str:
        """Registers bytes as if Telegram held them; returns the new file_id."""
        return self._register(kind, filename, data).file_id

    # -- faults ----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: ChatId | None = None,
    ) -> None:
        if status == 429:
            seconds = 1 if retry_after is None else retry_after
            text = description or f"Too Many Requests: retry after {seconds}"
            error = BotAPIError(429, text, {"retry_after": seconds})
        else:
            error = BotAPIError(status, description or _ERRORS.get(status, f"Error {status}"))
        self._faults.append(_Fault(method.lower(), times, error, chat_id))

    def block_chat(self, chat_id: ChatId) -> None:
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: ChatId) -> None:
        self._blocked.discard(chat_id)

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        self._delays.append((method.lower(), seconds, [times]))

    def hold(self, method: str, *, chat_id: ChatId | None = None) -> Held:
        """The next call to `method` (in `chat_id`, if given) waits until released: a slow
        Telegram, on the test's signal rather than a timer."""
        held = Held(method.lower(), chat_id, asyncio.Event(), asyncio.Event())
        self._holds.append(held)
        return held

    # -- incoming updates ------------------------------------------------------------------

    def push_update(self, update: JSON) -> int:
        """Queues a raw update (numbering it if it has no update_id) and wakes long polls."""
        update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, int(update["update_id"])) + 1
        self._updates.append(update)
        self._wake_pollers()
        return int(update["update_id"])

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Sam",
        chat_type: str = "private",
    ) -> int:
        content: JSON = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"offset": 0, "length": _utf16_len(command), "type": "bot_command"}
            ]
        return self._incoming(chat_id, chat_type, user_id, first_name, content)

    def send_group_text(
        self, group_chat_id: int, text: str, *, user_id: int | None = None, first_name: str = "Sam"
    ) -> int:
        """A text in a basic group; the chat id is made negative as Telegram's group ids are."""
        chat_id = -abs(group_chat_id)
        return self.send_text(
            chat_id, text, user_id=user_id, first_name=first_name, chat_type="group"
        )

    def send_sticker(self, chat_id: int, *, user_id: int | None = None) -> int:
        stored = self._register("sticker", "", b"RIFF\x00\x00\x00\x00WEBPVP8 fake sticker")
        sticker = self._media_object("sticker", stored, {}) | {"emoji": "\U0001f642"}
        return self._incoming(chat_id, "private", user_id, "Sam", {"sticker": sticker})

    def send_photo(
        self, chat_id: int, *, caption: str | None = None, user_id: int | None = None
    ) -> int:
        stored = self._register("photo", "", b"\xff\xd8\xff\xe0 fake jpeg")
        content: JSON = {"photo": self._media_object("photo", stored, {})}
        if caption is not None:
            content["caption"] = caption
        return self._incoming(chat_id, "private", user_id, "Sam", content)

    def send_voice(self, chat_id: int, *, duration: int = 2, user_id: int | None = None) -> int:
        stored = self._register("voice", "", b"OggS\x00\x02 fake voice note")
        voice = self._media_object("voice", stored, {"duration": duration})
        return self._incoming(chat_id, "private", user_id, "Sam", {"voice": voice})

    def press_button(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> int:
        stored = self._store.get(chat_id, {}).get(message_id)
        message = copy.deepcopy(stored) or {
            "message_id": message_id,
            "from": self._sender,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            "text": "",
        }
        query = {
            "id": str(secrets.randbits(62)),
            "from": self._user(chat_id, user_id, "Sam"),
            "message": message,
            "chat_instance": f"{abs(chat_id) * 7919 + 13}",
            "data": data,
        }
        return self.push_update({"callback_query": query})

    def _incoming(
        self, chat_id: int, chat_type: str, user_id: int | None, first_name: str, content: JSON
    ) -> int:
        chat: JSON = {"id": chat_id, "type": chat_type}
        chat |= {"first_name": first_name} if chat_type == "private" else {"title": "Test group"}
        self._chats[chat_id] = chat
        message = self._new_message(chat_id, self._user(chat_id, user_id, first_name), content)
        return self.push_update({"message": copy.deepcopy(message)})

    def _user(self, chat_id: int, user_id: int | None, first_name: str) -> JSON:
        if user_id is None:
            user_id = chat_id if chat_id > 0 else 100
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}

    def _wake_pollers(self) -> None:
        self._update_event.set()
        self._update_event = asyncio.Event()

    # -- HTTP ------------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        sent = request.match_info["method"]
        canonical, handler = self._handlers.get(sent.lower(), (sent, None))
        if sent.lower() == "getupdates":
            canonical = "getUpdates"
        params, files = await self._read_params(request)
        call = Call(canonical, params, files, time.time())
        try:
            if request.match_info["token"] != self.token:
                raise BotAPIError(401, "Unauthorized")
            if handler is None and canonical != "getUpdates":
                raise BotAPIError(404, "Not Found: method not found")
            await self._apply_delay(canonical)
            await self._apply_hold(canonical, params)
            self._apply_faults(canonical, params)
            if self.limits is not None and (wait := self.limits.refuse(canonical, params)):
                text = f"Too Many Requests: retry after {wait}"
                raise BotAPIError(429, text, {"retry_after": wait})
            result = await self._get_updates(params) if handler is None else handler(params, files)
            body: JSON = {"ok": True, "result": result}
        except BotAPIError as exc:
            call.status, body = exc.status, exc.body()
        call.response = copy.deepcopy(body)
        (self.polls if canonical == "getUpdates" else self._calls).append(call)
        self._call_event.set()
        self._call_event = asyncio.Event()
        return web.json_response(body, status=call.status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(BotAPIError(401, "Unauthorized").body(), status=401)
        path = request.match_info["path"]
        for stored in self._files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data, content_type=stored.mime_type)
        return web.json_response(BotAPIError(404, "Not Found").body(), status=404)

    async def _read_params(self, request: web.Request) -> tuple[JSON, Files]:
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

    async def _apply_delay(self, method: str) -> None:
        for name, seconds, left in self._delays:
            if name == method.lower() and left[0] > 0:
                left[0] -= 1
                await asyncio.sleep(seconds)
                return

    async def _apply_hold(self, method: str, params: JSON) -> None:
        for held in self._holds:
            if held.method == method.lower() and held.chat_id in (None, params.get("chat_id")):
                self._holds.remove(held)
                held.arrived.set()
                await held.released.wait()
                return

    def _apply_faults(self, method: str, params: JSON) -> None:
        chat_id = params.get("chat_id")
        if chat_id in self._blocked and method.lower().startswith(_SEND_PREFIXES):
            raise BotAPIError(403, _ERRORS[403])
        for fault in self._faults:
            if (
                fault.method == method.lower()
                and fault.times > 0
                and fault.chat_id in (None, chat_id)
            ):
                fault.times -= 1
                raise fault.error

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook["url"]:
            raise BotAPIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset, limit = (
            int(params.get("offset", 0)),
            min(max(int(params.get("limit", 100)), 1), 100),
        )
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"] or [])
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout", 0))
        while True:
            if self._allowed_updates:
                allowed = set(self._allowed_updates) | {"update_id"}
                self._updates = [u for u in self._updates if set(u) <= allowed]
            remaining = deadline - loop.time()
            if self._updates or self._closing or remaining <= 0:
                return copy.deepcopy(self._updates[:limit])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._update_event.wait(), remaining)

    # -- methods ---------------------------------------------------------------------------

    def _chat_id(self, params: JSON) -> ChatId:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        if not isinstance(chat_id, int | str):
            raise _bad("invalid chat_id")
        return chat_id

    def _chat(self, chat_id: ChatId) -> JSON:
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if isinstance(chat_id, str) and not _INT.fullmatch(chat_id):
            return {"id": -1001000000000, "type": "channel", "username": chat_id.lstrip("@")}
        number = int(chat_id)
        kind = (
            "private" if number > 0 else "supergroup" if str(number).startswith("-100") else "group"
        )
        return {"id": number, "type": kind}

    def _new_message(self, chat_id: ChatId, sender: JSON, content: JSON) -> JSON:
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        message = {"message_id": message_id, "from": sender, "chat": self._chat(chat_id)}
        message |= {"date": int(time.time()), **content}
        self._store.setdefault(chat_id, {})[message_id] = message
        return message

    def _check_markup(self, params: JSON) -> JSON | None:
        """Validates reply_markup; returns it when Telegram would echo it (inline keyboards)."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
        return markup

    def _send(self, params: JSON, content: JSON) -> JSON:
        chat_id = self._chat_id(params)
        if (markup := self._check_markup(params)) is not None:
            content["reply_markup"] = markup
        return copy.deepcopy(self._new_message(chat_id, self._sender, content))

    def _text(self, params: JSON, key: str = "text", limit: int = 4096) -> JSON:
        text = str(params.get(key) or "")
        if key == "text" and not text.strip():
            raise _bad("message text is empty")
        if len(text) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        entities_key = "entities" if key == "text" else "caption_entities"
        entities = params.get(entities_key)
        return {key: text, entities_key: entities} if entities else {key: text}

    def _send_message(self, params: JSON, files: Files) -> JSON:
        self._chat_id(params)
        return self._send(params, self._text(params))

    def _register(self, kind: str, filename: str, data: bytes) -> StoredFile:
        prefix, folder, extension, mime = _MEDIA.get(kind, _MEDIA["document"])
        number = len(self._files) + 1
        suffix = ("." + filename.rsplit(".", 1)[1]) if "." in filename else extension
        stored = StoredFile(
            file_id=f"{prefix}gIAAxkBAA{secrets.token_urlsafe(24)}",
            file_unique_id=f"AgAD{secrets.token_urlsafe(6)}",
            file_path=f"{folder}/file_{number}{suffix}",
            filename=filename or f"file_{number}{suffix}",
            data=data,
            mime_type=mimetypes.guess_type(filename)[0] or mime,
        )
        self._files[stored.file_id] = stored
        return stored

    def _known_file(self, file_id: Any) -> StoredFile:
        if not isinstance(file_id, str) or file_id not in self._files:
            raise _bad("wrong file identifier/HTTP URL specified")
        return self._files[file_id]

    def _file_result(self, stored: StoredFile) -> JSON:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    def _media_object(self, kind: str, stored: StoredFile, params: JSON) -> Any:
        base: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        base["file_size"] = len(stored.data)
        duration = {"duration": int(params.get("duration") or 1)}
        if kind == "photo":
            return [base | {"width": 800, "height": 600}]
        if kind == "sticker":
            sticker: JSON = {"type": "regular", "width": 512, "height": 512}
            return base | sticker | {"is_animated": False, "is_video": False}
        if kind == "voice":
            return base | duration | {"mime_type": stored.mime_type}
        extra = {k: params[k] for k in ("performer", "title") if k in params}
        named = base | {"file_name": stored.filename, "mime_type": stored.mime_type} | extra
        return named | duration if kind == "audio" else named

    def _media_handler(self, kind: str) -> Handler:
        def handler(params: JSON, files: Files) -> JSON:
            self._chat_id(params)
            value = params.get(kind)
            if kind in files:
                stored = self._register(kind, *files[kind])
            elif isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                stored = self._register(kind, *files[value[9:]])
            elif isinstance(value, str) and value.startswith(("http://", "https://")):
                stored = self._register(kind, value.rsplit("/", 1)[-1], b"")
            elif isinstance(value, str) and value:
                stored = self._known_file(value)
            else:
                raise _bad(f"there is no {kind} in the request")
            content: JSON = {kind: self._media_object(kind, stored, params)}
            if params.get("caption"):
                content |= self._text(params, "caption", 1024)
            return self._send(params, content)

        return handler

    def _copy_message(self, params: JSON, files: Files) -> JSON:
        source = self._store.get(params.get("from_chat_id", ""), {}).get(
            params.get("message_id", 0)
        )
        if source is None:
            raise _bad("message to copy not found")
        skip = {"message_id", "from", "chat", "date", "edit_date", "reply_markup"}
        content = {k: copy.deepcopy(v) for k, v in source.items() if k not in skip}
        if "caption" in params:
            content |= self._text(params, "caption", 1024)
        return {"message_id": self._send(params, content)["message_id"]}

    def _edit(self, params: JSON, changes: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        message = self._store.get(params.get("chat_id", ""), {}).get(params.get("message_id", 0))
        if message is None or message["from"]["id"] != self.bot_user["id"]:
            raise _bad("message to edit not found")
        changes["reply_markup"] = self._check_markup(params)
        if all(message.get(key) == value for key, value in changes.items()):
            raise BotAPIError(400, _NOT_MODIFIED)
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _edit_text(self, params: JSON, files: Files) -> JSON | bool:
        changes = {"entities": None} | self._text(params)
        found = self._store.get(params.get("chat_id", ""), {}).get(params.get("message_id", 0))
        if found is not None and "text" not in found:
            raise _bad("there is no text in the message to edit")
        return self._edit(params, changes)

    def _edit_caption(self, params: JSON, files: Files) -> JSON | bool:
        changes = {"caption": None, "caption_entities": None}
        if params.get("caption"):
            changes |= self._text(params, "caption", 1024)
        return self._edit(params, changes)

    def _delete_message(self, params: JSON, files: Files) -> bool:
        self._store.get(self._chat_id(params), {}).pop(params.get("message_id", 0), None)
        return True

    def _set_webhook(self, params: JSON, files: Files) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {"url": str(params.get("url") or ""), "has_custom_certificate": False}
        if self._webhook["url"]:
            self._webhook["has_custom_certificate"] = "certificate" in files
            self._webhook["max_connections"] = int(params.get("max_connections", 40))
            if "allowed_updates" in params:
                self._webhook["allowed_updates"] = params["allowed_updates"]
        return True

    def _delete_webhook(self, params: JSON, files: Files) -> bool:
        return self._set_webhook({"drop_pending_updates": params.get("drop_pending_updates")}, {})

    def _scope_key(self, params: JSON) -> str:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return f"{scope}|{params.get('language_code', '')}"

    def _set_commands(self, params: JSON, files: Files) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad('parameter "commands" is required')
        for command in commands:
            if not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._scope_key(params)] = commands
        return True

    def _delete_commands(self, params: JSON, files: Files) -> bool:
        self._commands.pop(self._scope_key(params), None)
        return True
