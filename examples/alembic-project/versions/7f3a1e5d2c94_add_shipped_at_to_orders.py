"""Add shipped_at to orders

Revision ID: 7f3a1e5d2c94
Revises: 4b8e2f6a9c05
Create Date: 2025-06-02 09:05:40.662784

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "7f3a1e5d2c94"
down_revision: Union[str, Sequence[str], None] = "4b8e2f6a9c05"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("orders", sa.Column("shipped_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("orders", "shipped_at")
