"""Backfill audit events from orders

A data migration in SQL: one audit event per existing order. It reads the
orders table, which the audit branch does not create, hence depends_on.

Revision ID: e1a7f4c08b36
Revises: 5e9b1d3c7f20
Create Date: 2025-04-02 16:21:03.120458

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "e1a7f4c08b36"
down_revision: Union[str, Sequence[str], None] = "5e9b1d3c7f20"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = "8a4d2c6e1f93"


def upgrade() -> None:
    """Upgrade schema."""
    op.execute(
        "INSERT INTO audit_events (user_id, kind, created_at) "
        "SELECT user_id, 'order_placed', CURRENT_TIMESTAMP FROM orders"
    )


def downgrade() -> None:
    """Downgrade schema."""
    # The backfilled events stay: they are true, and the audit log's own
    # downgrade removes them with the table.
    pass
