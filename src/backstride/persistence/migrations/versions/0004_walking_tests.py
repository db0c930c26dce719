"""walking tests: results of the phone-recorded walking tolerance test

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "walking_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_to_first_symptom_s", sa.Float(), nullable=True),
        sa.Column("distance_to_first_symptom_m", sa.Float(), nullable=True),
        sa.Column("walking_time_s", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("total_time_s", sa.Float(), nullable=False),
        sa.Column("stop_reason", sa.String(length=20), nullable=False),
        sa.Column("recovery_s", sa.Float(), nullable=True),
        sa.Column("steps", sa.Integer(), nullable=False),
        sa.Column("cadence_spm", sa.Float(), nullable=True),
        sa.Column("speed_mps", sa.Float(), nullable=True),
        sa.Column("sampling_rate_hz", sa.Float(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.CheckConstraint("walking_time_s >= 0", name=op.f("ck_walking_tests_walking_time")),
        sa.CheckConstraint("steps >= 0", name=op.f("ck_walking_tests_steps")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_walking_tests_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walking_tests")),
    )
    op.create_index(
        op.f("ix_walking_tests_person_id"), "walking_tests", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_walking_tests_person_id"), table_name="walking_tests")
    op.drop_table("walking_tests")
