"""exercise sessions: exercises marked done before the day's check-in

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercise_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=False),
        sa.Column("pain_during", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "pain_during IS NULL OR pain_during BETWEEN 0 AND 10",
            name=op.f("ck_exercise_sessions_pain"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_exercise_sessions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_sessions")),
    )
    op.create_index(
        "ix_exercise_sessions_person_day", "exercise_sessions", ["person_id", "day"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_exercise_sessions_person_day", table_name="exercise_sessions")
    op.drop_table("exercise_sessions")
