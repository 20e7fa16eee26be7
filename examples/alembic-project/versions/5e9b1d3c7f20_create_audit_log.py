"""Create audit log

The audit log is its own branch, labelled "audit", so that it can be upgraded
on its own (``alembic upgrade audit@head``).

Revision ID: 5e9b1d3c7f20
Revises: 3f1c9a7b2e10
Create Date: 2025-03-12 08:55:31.772016

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "5e9b1d3c7f20"
down_revision: Union[str, Sequence[str], None] = "3f1c9a7b2e10"
branch_labels: Union[str, Sequence[str], None] = ("audit",)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_events_user_id", "audit_events", ["user_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_audit_events_user_id", table_name="audit_events")
    op.drop_table("audit_events")
