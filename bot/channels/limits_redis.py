"""The bot's rate limits kept in Redis (REDIS_URL), shared by every worker of one bot.

The same algorithm as the other limiters (bot/channels/limits.py ``decide``), run inside
Redis as one Lua script, so a turn is one round trip and atomic, on Redis's clock. Keys
carry the bot's scope in braces (one Redis Cluster slot for a bot's keys) and expire an
hour after the moment they hold: a chat's key holds a hash of its id, never the id.

Why not a library: `limits` (moving windows in Redis) and PyrateLimiter count each key
on its own and wait by asking again; neither can hold a turn that must be free for the
bot and the chat at one moment, nor be told "Telegram said wait 7 s". What is written
here is the 20 lines of Lua that mirror `decide`.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.channels.base import Transient
from bot.channels.limits import BotWide, Spacing, Turn, chat_key, wait_for_turn
from bot.settings import SendingSettings

log = logging.getLogger(__name__)
KEEP_SECONDS = 3600  # a key expires this long after the moment it holds

# KEYS: the bot's key, the chat's. ARGV: seconds between the bot's sends, the chat's,
# seconds to keep a key. Returns {granted (0 or 1), wait, bot next, chat next} as strings.
_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local bot_next = tonumber(redis.call('GET', KEYS[1]) or '0')
local chat_next = tonumber(redis.call('GET', KEYS[2]) or '0')
local at = math.max(now, bot_next)
if at < chat_next then
  return {'0', tostring(chat_next - at), tostring(bot_next), tostring(chat_next)}
end
local keep = tonumber(ARGV[3])
bot_next = at + tonumber(ARGV[1])
chat_next = at + tonumber(ARGV[2])
redis.call('SET', KEYS[1], tostring(bot_next), 'PX', math.ceil((bot_next - now + keep) * 1000))
redis.call('SET', KEYS[2], tostring(chat_next), 'PX', math.ceil((chat_next - now + keep) * 1000))
return {'1', tostring(at - now), tostring(bot_next), tostring(chat_next)}
"""

# KEYS: the key to pause. ARGV: seconds of the pause, seconds to keep the key.
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local next_at = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now + tonumber(ARGV[1]))
local keep = tonumber(ARGV[2])
redis.call('SET', KEYS[1], tostring(next_at), 'PX', math.ceil((next_at - now + keep) * 1000))
return tostring(next_at)
"""


class RedisLimiter:
    def __init__(self, url: str, settings: SendingSettings, scope: str) -> None:
        self._redis: Redis = Redis.from_url(url)
        self._spacing = Spacing.of(settings)
        self._scope = "waymark:{" + scope + "}"
        self._bot = f"{self._scope}:bot"
        self._bot_wide = BotWide()
        self._turn = self._redis.register_script(_TURN)
        self._pause = self._redis.register_script(_PAUSE)

    async def turn(self, chat_id: str) -> None:
        key = chat_key(self._scope, chat_id)
        await wait_for_turn(lambda: self._ask(key))

    async def _ask(self, key: str) -> Turn:
        spacing = self._spacing
        args: list[str | int] = [repr(spacing.bot), repr(spacing.chat), KEEP_SECONDS]
        try:
            reply: list[Any] = await self._turn(keys=[self._bot, key], args=args)
        except RedisError as error:
            raise Transient(f"rate limits unreachable: {type(error).__name__}") from error
        granted, wait, bot_next, chat_next = (float(value) for value in reply)
        return Turn(granted == 1, wait, bot_next, chat_next)

    async def pause(self, chat_id: str, seconds: float) -> None:
        keys = [chat_key(self._scope, chat_id)]
        if self._bot_wide.hit(chat_id):
            keys.append(self._bot)
        try:
            for key in keys:
                await self._pause(keys=[key], args=[repr(float(seconds)), KEEP_SECONDS])
        except RedisError:  # not kept: at worst another 429, which pauses again
            log.warning("a 429's pause was not shared", extra={"seconds": seconds})

    async def close(self) -> None:
        await self._redis.aclose()
