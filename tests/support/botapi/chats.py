"""The chats of the stand-in Bot API as Telegram keeps them: each chat's messages (edits
applied) and the files sent in them, with the methods that send, copy, edit and delete
those messages and read those files."""

from __future__ import annotations

import copy
import mimetypes
import secrets
import time
from dataclasses import dataclass
from typing import Any

from tests.support.botapi.wire import INT, JSON, BotAPIError, ChatId, Files, Handler, bad

MEDIA = {  # kind -> (file_id prefix, download folder, default extension, default mime type)
    "photo": ("AgAC", "photos", ".jpg", "image/jpeg"),
    "voice": ("AwAC", "voice", ".oga", "audio/ogg"),
    "audio": ("CQAC", "music", ".mp3", "audio/mpeg"),
    "document": ("BQAC", "documents", "", "application/octet-stream"),
    "sticker": ("CAAC", "stickers", ".webp", "image/webp"),
}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    filename: str
    data: bytes
    mime_type: str


class Chats:
    def __init__(self, bot_user: JSON) -> None:
        self._bot_id = bot_user["id"]
        self.sender = {k: bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        self.stored: dict[ChatId, dict[int, JSON]] = {}
        self._last_message_id: dict[ChatId, int] = {}
        self.known: dict[ChatId, JSON] = {}  # the chats updates came from
        self.files: dict[str, StoredFile] = {}

    def messages(self, chat_id: ChatId) -> list[JSON]:
        stored = self.stored.get(chat_id, {}).values()
        return [copy.deepcopy(m) for m in stored if m["from"]["id"] == self._bot_id]

    def chat_id(self, params: JSON) -> ChatId:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad("chat_id is empty")
        if not isinstance(chat_id, int | str):
            raise bad("invalid chat_id")
        return chat_id

    def chat(self, chat_id: ChatId) -> JSON:
        if chat_id in self.known:
            return dict(self.known[chat_id])
        if isinstance(chat_id, str) and not INT.fullmatch(chat_id):
            return {"id": -1001000000000, "type": "channel", "username": chat_id.lstrip("@")}
        number = int(chat_id)
        kind = (
            "private" if number > 0 else "supergroup" if str(number).startswith("-100") else "group"
        )
        return {"id": number, "type": kind}

    def new_message(self, chat_id: ChatId, sender: JSON, content: JSON) -> JSON:
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        message = {"message_id": message_id, "from": sender, "chat": self.chat(chat_id)}
        message |= {"date": int(time.time()), **content}
        self.stored.setdefault(chat_id, {})[message_id] = message
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
                    raise bad("BUTTON_DATA_INVALID")
        return markup

    def send_content(self, params: JSON, content: JSON) -> JSON:
        chat_id = self.chat_id(params)
        if (markup := self._check_markup(params)) is not None:
            content["reply_markup"] = markup
        return copy.deepcopy(self.new_message(chat_id, self.sender, content))

    def _text(self, params: JSON, key: str = "text", limit: int = 4096) -> JSON:
        text = str(params.get(key) or "")
        if key == "text" and not text.strip():
            raise bad("message text is empty")
        if len(text) > limit:
            raise bad("message is too long" if key == "text" else "message caption is too long")
        entities_key = "entities" if key == "text" else "caption_entities"
        entities = params.get(entities_key)
        return {key: text, entities_key: entities} if entities else {key: text}

    def send_message(self, params: JSON, files: Files) -> JSON:
        self.chat_id(params)
        return self.send_content(params, self._text(params))

    def register(self, kind: str, filename: str, data: bytes) -> StoredFile:
        prefix, folder, extension, mime = MEDIA.get(kind, MEDIA["document"])
        number = len(self.files) + 1
        suffix = ("." + filename.rsplit(".", 1)[1]) if "." in filename else extension
        stored = StoredFile(
            file_id=f"{prefix}gIAAxkBAA{secrets.token_urlsafe(24)}",
            file_unique_id=f"AgAD{secrets.token_urlsafe(6)}",
            file_path=f"{folder}/file_{number}{suffix}",
            filename=filename or f"file_{number}{suffix}",
            data=data,
            mime_type=mimetypes.guess_type(filename)[0] or mime,
        )
        self.files[stored.file_id] = stored
        return stored

    def known_file(self, file_id: Any) -> StoredFile:
        if not isinstance(file_id, str) or file_id not in self.files:
            raise bad("wrong file identifier/HTTP URL specified")
        return self.files[file_id]

    def file_result(self, stored: StoredFile) -> JSON:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    def media_object(self, kind: str, stored: StoredFile, params: JSON) -> Any:
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

    def media_handler(self, kind: str) -> Handler:
        def handler(params: JSON, files: Files) -> JSON:
            self.chat_id(params)
            value = params.get(kind)
            if kind in files:
                stored = self.register(kind, *files[kind])
            elif isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                stored = self.register(kind, *files[value[9:]])
            elif isinstance(value, str) and value.startswith(("http://", "https://")):
                stored = self.register(kind, value.rsplit("/", 1)[-1], b"")
            elif isinstance(value, str) and value:
                stored = self.known_file(value)
            else:
                raise bad(f"there is no {kind} in the request")
            content: JSON = {kind: self.media_object(kind, stored, params)}
            if params.get("caption"):
                content |= self._text(params, "caption", 1024)
            return self.send_content(params, content)

        return handler

    def copy_message(self, params: JSON, files: Files) -> JSON:
        source = self.stored.get(params.get("from_chat_id", ""), {}).get(
            params.get("message_id", 0)
        )
        if source is None:
            raise bad("message to copy not found")
        skip = {"message_id", "from", "chat", "date", "edit_date", "reply_markup"}
        content = {k: copy.deepcopy(v) for k, v in source.items() if k not in skip}
        if "caption" in params:
            content |= self._text(params, "caption", 1024)
        return {"message_id": self.send_content(params, content)["message_id"]}

    def edit(self, params: JSON, changes: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        message = self.stored.get(params.get("chat_id", ""), {}).get(params.get("message_id", 0))
        if message is None or message["from"]["id"] != self._bot_id:
            raise bad("message to edit not found")
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

    def edit_text(self, params: JSON, files: Files) -> JSON | bool:
        changes = {"entities": None} | self._text(params)
        found = self.stored.get(params.get("chat_id", ""), {}).get(params.get("message_id", 0))
        if found is not None and "text" not in found:
            raise bad("there is no text in the message to edit")
        return self.edit(params, changes)

    def edit_caption(self, params: JSON, files: Files) -> JSON | bool:
        changes = {"caption": None, "caption_entities": None}
        if params.get("caption"):
            changes |= self._text(params, "caption", 1024)
        return self.edit(params, changes)

    def delete_message(self, params: JSON, files: Files) -> bool:
        self.stored.get(self.chat_id(params), {}).pop(params.get("message_id", 0), None)
        return True
