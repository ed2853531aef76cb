"""The stand-in Telegram Bot API server, served by aiohttp on loopback (see __init__.py):
its lifecycle, the calls it recorded, the updates it serves by getUpdates (long polling
included), the webhook and command menu it keeps, and its HTTP handling. The chats live
in chats.py, the faults a test injects in faults.py, request decoding in wire.py."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import secrets
import time
from types import TracebackType
from typing import Self

from aiohttp import web

from tests.support.botapi.chats import MEDIA, Chats
from tests.support.botapi.faults import Faults
from tests.support.botapi.wire import (
    JSON,
    BotAPIError,
    Call,
    ChatId,
    Files,
    Handler,
    bad,
    read_params,
    utf16_len,
)
from tests.support.botapi_limits import RollingLimits
from tests.support.botapi_venue import venue_content

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


class StandInBotAPI(Faults):
    """An in-process Telegram Bot API on 127.0.0.1; see the package docstring. Its faults
    (fail_next, block_chat, delay, hold) are Faults'."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107
        bot_username: str = "waymark_test_bot",
    ) -> None:
        super().__init__()
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
        self.polls: list[Call] = []  # getUpdates calls, kept apart from ``calls``
        self._calls: list[Call] = []
        self._call_event = asyncio.Event()
        self._updates: list[JSON] = []
        self._update_event = asyncio.Event()
        self._next_update_id = 1
        self._allowed_updates: list[str] = []
        self._webhook: JSON = {"url": "", "has_custom_certificate": False}
        self._chats = Chats(self.bot_user)
        self.limits: RollingLimits | None = None  # Telegram's flood limits, when set
        self._commands: dict[str, list[JSON]] = {}
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._closing = False
        chats = self._chats
        handlers: dict[str, Handler] = {
            "getMe": lambda p, f: self.bot_user,
            "sendMessage": chats.send_message,
            "copyMessage": chats.copy_message,
            "editMessageText": chats.edit_text,
            "editMessageCaption": chats.edit_caption,
            "editMessageReplyMarkup": lambda p, f: chats.edit(p, {}),
            "deleteMessage": chats.delete_message,
            "getFile": lambda p, f: chats.file_result(chats.known_file(p.get("file_id"))),
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": lambda p, f: {
                **self._webhook,
                "pending_update_count": len(self._updates),
            },
            "setMyCommands": self._set_commands,
            "deleteMyCommands": self._delete_commands,
            "getMyCommands": lambda p, f: self._commands.get(self._scope_key(p), []),
            "sendChatAction": lambda p, f: chats.chat_id(p) is not None,
            "sendVenue": lambda p, f: chats.send_content(p, venue_content(p, bad)),
        }
        for name in MEDIA:
            handlers[f"send{name.capitalize()}"] = chats.media_handler(name)
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
        return self._chats.messages(chat_id)

    def last_message(self, chat_id: ChatId) -> JSON | None:
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

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
                {"offset": 0, "length": utf16_len(command), "type": "bot_command"}
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
        stored = self._chats.register("sticker", "", b"RIFF\x00\x00\x00\x00WEBPVP8 fake sticker")
        sticker = self._chats.media_object("sticker", stored, {}) | {"emoji": "\U0001f642"}
        return self._incoming(chat_id, "private", user_id, "Sam", {"sticker": sticker})

    def send_photo(
        self, chat_id: int, *, caption: str | None = None, user_id: int | None = None
    ) -> int:
        stored = self._chats.register("photo", "", b"\xff\xd8\xff\xe0 fake jpeg")
        content: JSON = {"photo": self._chats.media_object("photo", stored, {})}
        if caption is not None:
            content["caption"] = caption
        return self._incoming(chat_id, "private", user_id, "Sam", content)

    def send_voice(self, chat_id: int, *, duration: int = 2, user_id: int | None = None) -> int:
        stored = self._chats.register("voice", "", b"OggS\x00\x02 fake voice note")
        voice = self._chats.media_object("voice", stored, {"duration": duration})
        return self._incoming(chat_id, "private", user_id, "Sam", {"voice": voice})

    def press_button(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> int:
        stored = self._chats.stored.get(chat_id, {}).get(message_id)
        message = copy.deepcopy(stored) or {
            "message_id": message_id,
            "from": self._chats.sender,
            "chat": self._chats.chat(chat_id),
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
        self._chats.known[chat_id] = chat
        sender = self._user(chat_id, user_id, first_name)
        message = self._chats.new_message(chat_id, sender, content)
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
        params, files = await read_params(request)
        call = Call(canonical, params, files, time.time())
        try:
            if request.match_info["token"] != self.token:
                raise BotAPIError(401, "Unauthorized")
            if handler is None and canonical != "getUpdates":
                raise BotAPIError(404, "Not Found: method not found")
            await self.apply_delay(canonical)
            await self.apply_hold(canonical, params)
            self.apply_faults(canonical, params)
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
        for stored in self._chats.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data, content_type=stored.mime_type)
        return web.json_response(BotAPIError(404, "Not Found").body(), status=404)

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

    # -- the webhook and the command menu ---------------------------------------------------

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
            raise bad('parameter "commands" is required')
        for command in commands:
            if not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._scope_key(params)] = commands
        return True

    def _delete_commands(self, params: JSON, files: Files) -> bool:
        self._commands.pop(self._scope_key(params), None)
        return True
