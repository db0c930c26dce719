"""The walking tolerance test recorded by a phone at the lower back: check the upload,
analyse it with ``backstride.gait``, keep the result (not the raw samples) in the diary.

Protocol: walk at a comfortable pace until pain makes you stop, or 15 minutes; mark when the
pain started and when you stopped; then sit or lean forward and mark when it eased
(Tomkins-Lane CC, Battié MC. Arch Phys Med Rehabil 2010;91:22-27, the self-paced walking
test in spinal stenosis).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.answers import ContractError, FieldError
from backstride.domain.diary import Role
from backstride.domain.walking import StoredWalkingTest
from backstride.persistence import walking_tests as repo
from backstride.services.records import Records, Who

if TYPE_CHECKING:
    from backstride.gait.pipeline import QualityFlag

MAX_SAMPLES = 15 * 60 * 120  # 15 minutes at 120 Hz, more than any phone's motion rate
STOP_REASONS = ("pain", "time_limit", "other_symptom", "other")
#: Tests one person may record in a day. The protocol asks for one a week; a few more allow
#: for false starts. The analysis is the costliest work a person can ask of the server, so
#: it is not open-ended (OWASP ASVS 12.1.3).
MAX_TESTS_PER_DAY = 10


class TooManyTestsError(Exception):
    """The day's walking tests are used up; nothing was analysed or stored."""

    def __init__(self) -> None:
        super().__init__(
            f"You have recorded {MAX_TESTS_PER_DAY} walking tests today, the most for one day. "
            "You can record another tomorrow."
        )


Samples = list[float]


class WalkingTestUpload(BaseModel):
    """What the recording page sends: the phone's samples and the person's markers, all on
    the recording's clock (seconds)."""

    model_config = ConfigDict(extra="forbid")
    t_s: Samples = Field(min_length=10, max_length=MAX_SAMPLES)
    acc_x: Samples = Field(max_length=MAX_SAMPLES)
    acc_y: Samples = Field(max_length=MAX_SAMPLES)
    acc_z: Samples = Field(max_length=MAX_SAMPLES)
    gyr_x: Samples | None = Field(default=None, max_length=MAX_SAMPLES)
    gyr_y: Samples | None = Field(default=None, max_length=MAX_SAMPLES)
    gyr_z: Samples | None = Field(default=None, max_length=MAX_SAMPLES)
    pain_started_s: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    stopped_s: float = Field(gt=0, allow_inf_nan=False)
    stop_reason: str = Field(pattern="^(" + "|".join(STOP_REASONS) + ")$")
    recovery_s: float | None = Field(default=None, ge=0, le=3600, allow_inf_nan=False)
    height_m: float | None = Field(default=None, ge=1.0, le=2.3, allow_inf_nan=False)


def parse_upload(raw: object) -> WalkingTestUpload:
    """The upload, or ``ContractError`` naming each bad field."""
    try:
        upload = WalkingTestUpload.model_validate(raw)
    except pydantic.ValidationError as exc:
        fields: dict[str, FieldError] = {}
        for error in exc.errors(include_input=False, include_url=False):
            name = str(error["loc"][0]) if error["loc"] else "recording"
            fields.setdefault(name, FieldError(name, error["msg"].lower()))
        raise ContractError(tuple(fields.values())) from None
    n = len(upload.t_s)
    errors = [
        FieldError(name, "must have one value per time stamp")
        for name in ("acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
        if getattr(upload, name) is not None and len(getattr(upload, name)) != n
    ]
    gyro = [upload.gyr_x, upload.gyr_y, upload.gyr_z]
    if any(g is None for g in gyro) and any(g is not None for g in gyro):
        errors.append(FieldError("gyr_x", "give all three gyroscope axes or none"))
    if errors:
        raise ContractError(tuple(errors))
    return upload


def _quality(
    recording: list[dict[str, str]], test: tuple[QualityFlag, ...]
) -> list[dict[str, str]]:
    """The recording's notes and the test's. The test's note on time not recorded says in
    words what the count of sampling gaps says in figures, so it replaces it."""
    notes = [{"code": q.code, "message": q.message} for q in test]
    if any(n["code"] == "not_recorded" for n in notes):
        recording = [q for q in recording if q["code"] != "sampling_gaps"]
    return [*recording, *notes]


class WalkingTests:
    """Records and lists a person's walking tolerance tests."""

    def __init__(self, records: Records) -> None:
        self.records = records

    def record(self, who: Who, raw: object) -> StoredWalkingTest:
        """Analyse an upload and store the result; ``ContractError`` names what is wrong
        (a field, or the recording itself) and nothing is stored. ``TooManyTestsError``
        once the day's tests are used up (checked before the analysis, and again when
        storing)."""
        upload = parse_upload(raw)
        today = self.records.today()
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            if repo.tests_on(session, person.id, today) >= MAX_TESTS_PER_DAY:
                raise TooManyTestsError
        # numpy and scipy load only when a test is analysed (keeps start-up fast).
        from backstride.gait import GaitInputError  # noqa: PLC0415
        from backstride.gait.pipeline import analyse_arrays  # noqa: PLC0415
        from backstride.gait.tolerance import walking_tolerance  # noqa: PLC0415

        acc = list(zip(upload.acc_x, upload.acc_y, upload.acc_z, strict=True))
        gyr = None
        if upload.gyr_x is not None and upload.gyr_y is not None and upload.gyr_z is not None:
            gyr = list(zip(upload.gyr_x, upload.gyr_y, upload.gyr_z, strict=True))
        try:
            gait = analyse_arrays(upload.t_s, acc, gyr, height_m=upload.height_m)
            test = walking_tolerance(
                gait,
                stopped_s=upload.stopped_s,
                stop_reason=upload.stop_reason,
                pain_started_s=upload.pain_started_s,
                recovery_s=upload.recovery_s,
                started_s=upload.t_s[0],
                sample_times_s=upload.t_s,
            )
        except GaitInputError as exc:
            field, _, message = str(exc).partition(": ")
            raise ContractError((FieldError(field or "recording", message or str(exc)),)) from None
        summary = gait.to_dict()
        now = self.records.clock()
        values: dict[str, Any] = {
            "day": self.records.day_of(now),
            "recorded_at": now,
            "time_to_first_symptom_s": test.time_to_first_symptom_s,
            "distance_to_first_symptom_m": test.distance_to_first_symptom_m,
            "walking_time_s": test.walking_time_s,
            "distance_m": test.distance_m,
            "total_time_s": test.total_time_s,
            "stop_reason": test.stop_reason.value,
            "recovery_s": test.recovery_s,
            "steps": test.steps,
            "cadence_spm": gait.summary.cadence_spm,
            "speed_mps": gait.summary.speed_mps,
            "sampling_rate_hz": gait.sampling_rate_hz,
            "detail": {
                "bouts": summary["bouts"],
                "quality": _quality(summary["quality"], test.quality),
                "unrecorded_s": test.unrecorded_s,
                "reached_time_limit": test.reached_time_limit,
                "height_m": upload.height_m,
            },
        }
        with self.records.store.transaction() as session:
            # Uploads analysed side by side must not pass the limit together.
            if repo.tests_on(session, person.id, values["day"]) >= MAX_TESTS_PER_DAY:
                raise TooManyTestsError
            return repo.add_walking_test(session, person.id, values)

    def tests(self, who: Who) -> list[StoredWalkingTest]:
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            return repo.walking_tests(session, person.id)

    def test(self, who: Who, test_id: int) -> StoredWalkingTest | None:
        """One of ``who``'s tests, or None (another person's tests are not found)."""
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            return repo.walking_test(session, person.id, test_id)
