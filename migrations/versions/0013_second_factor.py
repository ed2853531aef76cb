"""second factor: a TOTP secret per account, single-use recovery codes, demo accounts

Revision ID: 0013_second_factor
Revises: 0012_pairing_codes
Create Date: 2026-12-03 19:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0013_second_factor"
down_revision: str | None = "0012_pairing_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("totp_secret", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("totp_on_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("demo_account", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("used_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["coach.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_recovery_code_account_id"), "recovery_code", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_recovery_code_account_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.drop_column("demo_account")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_on_at")
        batch_op.drop_column("totp_secret")
