"""Normalise user emails

A data migration in Python: it reads every user through the connection and
writes back the address trimmed and lower-cased. It needs the rows, so it
cannot be rendered as SQL offline (``alembic upgrade --sql`` fails on it).

Revision ID: 4b8e2f6a9c05
Revises: 9d0c6a2f5b71
Create Date: 2025-05-20 13:47:58.390611

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "4b8e2f6a9c05"
down_revision: Union[str, Sequence[str], None] = "9d0c6a2f5b71"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT id, email FROM users")).fetchall()
    for user_id, email in users:
        normalised = email.strip().lower()
        if normalised != email:
            bind.execute(
                sa.text("UPDATE users SET email = :email WHERE id = :id"),
                {"email": normalised, "id": user_id},
            )


def downgrade() -> None:
    """Downgrade schema."""
    # The original spelling of the addresses is not kept.
    pass
