"""Merge orders and audit branches

Revision ID: 9d0c6a2f5b71
Revises: c27e5b9d4a18, e1a7f4c08b36
Create Date: 2025-04-03 10:00:12.845120

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "9d0c6a2f5b71"
down_revision: Union[str, Sequence[str], None] = ("c27e5b9d4a18", "e1a7f4c08b36")
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
