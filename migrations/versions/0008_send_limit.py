"""send limit: the bot's rate limits, shared by every worker through the database

A table of next free moments (the bot's, each chat's) and, on PostgreSQL, the function
that takes a turn in one round trip (bot/channels/limits_postgres.py). It is
bot/channels/limits.py `decide` in SQL: lock the bot's row, then the chat's (always in
that order), read the clock, and move both on only if the bot's next moment is free for
the chat too.

Revision ID: 0008_send_limit
Revises: 0007_discreet_and_directions
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008_send_limit"
down_revision: str | None = "0007_discreet_and_directions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEND_TURN = """
CREATE FUNCTION send_turn(bot_key text, chat_key text, bot_gap float8, chat_gap float8)
RETURNS TABLE (granted boolean, wait float8)
LANGUAGE plpgsql AS $$
DECLARE
  bot_next float8;
  chat_next float8;
  now float8;
  at float8;
BEGIN
  INSERT INTO send_limit (key, next_at) VALUES (bot_key, 0), (chat_key, 0)
    ON CONFLICT (key) DO NOTHING;
  SELECT s.next_at INTO bot_next FROM send_limit s WHERE s.key = bot_key FOR UPDATE;
  SELECT s.next_at INTO chat_next FROM send_limit s WHERE s.key = chat_key FOR UPDATE;
  now := extract(epoch FROM clock_timestamp());
  at := greatest(now, bot_next);
  IF at < chat_next THEN
    RETURN QUERY SELECT false, chat_next - at;
    RETURN;
  END IF;
  UPDATE send_limit SET next_at = at + bot_gap WHERE key = bot_key;
  UPDATE send_limit SET next_at = at + chat_gap WHERE key = chat_key;
  RETURN QUERY SELECT true, at - now;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "send_limit",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SEND_TURN)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION send_turn(text, text, float8, float8)")
    op.drop_table("send_limit")
