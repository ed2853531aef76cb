"""consent history and the communication passport ("About me"), one row per version

Revision ID: 0009_consent_and_passport
Revises: 0008_send_limit
Create Date: 2026-12-03 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import bot.storage.types

revision: str = "0009_consent_and_passport"
down_revision: str | None = "0008_send_limit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("wording_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["coach.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_consent_event_person_purpose", "consent_event", ["person_id", "purpose", "id"]
    )
    op.create_table(
        "passport_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("words", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("voice_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["coach.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_passport_version_person_id", "passport_version", ["person_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_passport_version_person_id", table_name="passport_version")
    op.drop_table("passport_version")
    op.drop_index("ix_consent_event_person_purpose", table_name="consent_event")
    op.drop_table("consent_event")
