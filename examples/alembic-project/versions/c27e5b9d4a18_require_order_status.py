"""Require an order status and drop the legacy reference

SQLite cannot alter a column in place, so this is a batch ("move and copy")
migration. The table as it is before each direction is given with copy_from,
so that the migration also renders offline (``alembic upgrade --sql``), where
there is no database to reflect it from.

Revision ID: c27e5b9d4a18
Revises: 8a4d2c6e1f93
Create Date: 2025-04-01 11:40:27.004512

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "c27e5b9d4a18"
down_revision: Union[str, Sequence[str], None] = "8a4d2c6e1f93"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def orders_before() -> sa.Table:
    """The orders table as 8a4d2c6e1f93 created it."""
    return sa.Table(
        "orders",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("legacy_ref", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def orders_after() -> sa.Table:
    """The orders table as this revision leaves it."""
    return sa.Table(
        "orders",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_orders_status", "status"),
    )


def upgrade() -> None:
    """Upgrade schema."""
    op.execute("UPDATE orders SET status = 'pending' WHERE status IS NULL")
    with op.batch_alter_table("orders", copy_from=orders_before()) as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=20),
            server_default="pending",
            nullable=False,
        )
        batch_op.drop_column("legacy_ref")
        batch_op.create_index("ix_orders_status", ["status"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("orders", copy_from=orders_after()) as batch_op:
        batch_op.drop_index("ix_orders_status")
        batch_op.add_column(sa.Column("legacy_ref", sa.String(length=40), nullable=True))
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=20),
            server_default=None,
            nullable=True,
        )
