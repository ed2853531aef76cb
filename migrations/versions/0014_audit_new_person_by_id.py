"""audit: "new person" entries name the person by id, not by case reference

The dashboard and the API wrote `new person <REF>` with no person id, so an erasure (which
finds a person's audit entries by id and leaves them pointing at no one) left the case
reference behind. Existing entries get the person's id where the person is still there,
and every such subject loses the reference.

Revision ID: 0014_audit_new_person_by_id
Revises: 0013_second_factor
Create Date: 2026-12-03 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_audit_new_person_by_id"
down_revision: str | None = "0013_second_factor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE audit_entry SET person_id = ("
            "SELECT person.id FROM person WHERE 'new person ' || person.ref = audit_entry.subject"
            ") WHERE subject LIKE 'new person %' AND person_id IS NULL"
        )
    )
    op.execute(
        sa.text("UPDATE audit_entry SET subject = 'new person' WHERE subject LIKE 'new person %'")
    )


def downgrade() -> None:
    """The references are not put back: that is the point of the upgrade."""
