"""A chat on some channel: what channels, the conversation and the services all speak of."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ChatRef:
    channel: str
    chat_id: str

    @property
    def log_id(self) -> str:
        """What a log line may carry: a Telegram chat id, but only a short hash of a web
        chat's id, since that id is the key that opens the chat."""
        if self.channel == "telegram":
            return self.chat_id
        return f"{self.channel}:{hashlib.sha256(self.chat_id.encode()).hexdigest()[:12]}"
