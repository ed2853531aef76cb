"""Which limiter a worker's Telegram sends go through (SEND_LIMITER).

"auto": Redis when REDIS_URL is set, else PostgreSQL when that is the database (every
worker shares the limits), else this process's own (SQLite: one worker). The limits
belong to the bot: they are keyed by the bot's id, so two bots on one database do not
share them, and every worker of one bot does.
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.channels.limits import LocalLimiter, SendLimiter
from bot.channels.limits_postgres import PostgresLimiter
from bot.channels.limits_redis import RedisLimiter
from bot.settings import Settings


def build_limiter(settings: Settings, engine: Engine) -> SendLimiter:
    sending = settings.sending
    redis_url = sending.redis_url.get_secret_value()
    kind = sending.limiter
    if kind == "auto":
        postgres = engine.dialect.name == "postgresql"
        kind = "redis" if redis_url else "postgres" if postgres else "local"
    scope = f"telegram:{settings.telegram.bot_token.get_secret_value().split(':', 1)[0]}"
    if kind == "redis":
        if not redis_url:
            raise ValueError("SEND_LIMITER=redis needs REDIS_URL")
        return RedisLimiter(redis_url, sending, scope)
    if kind == "postgres":
        return PostgresLimiter(engine, sending, scope)
    return LocalLimiter(sending)
