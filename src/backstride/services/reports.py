"""Reports and exports of one person's records: doctor summary PDF, diary CSV, FHIR bundle."""

from __future__ import annotations

import json
from typing import Any

from backstride.diary.model import DiaryStatus
from backstride.domain.answers import ContractError, FieldError
from backstride.interop.csv_export import diary_csv
from backstride.interop.fhir import export_bundle
from backstride.services.records import Records, Who
from backstride.services.walking_tests import WalkingTests


class Reports:
    """Reads records in one transaction each and hands them to interop."""

    def __init__(self, records: Records) -> None:
        self.records = records

    def _current(self, who: Who) -> tuple[Any, ...]:
        person, assessments, entries, plan, escalations = self.records.history(who)
        today = self.records.today()
        latest = assessments[-1] if assessments else None
        status = self.records.current_status(latest, entries, today)
        return person, assessments, entries, plan, escalations, status

    def report_pdf(self, who: Who) -> bytes:
        """The doctor summary (one or two pages). Needs a stored assessment."""
        from backstride.interop.report import ReportData, report_pdf  # noqa: PLC0415 (WeasyPrint is slow to import)

        person, assessments, entries, plan, escalations, status = self._current(who)
        if not assessments:
            raise ContractError((FieldError("user", "has no stored assessment yet"),))
        content = self.records.assessments.content
        red_flags = tuple((q.key, q.text) for q in content.questions if q.red_flag)
        data = ReportData(
            person_name=person.name,
            generated_on=self.records.today(),
            assessment=assessments[-1],
            red_flag_questions=red_flags,
            entries=entries,
            plan=plan,
            escalations=escalations,
            status=status.escalation,
            trend_summary=_trend_sentence(status),
            walking_tests=WalkingTests(self.records).tests(person),
            zone=self.records.zone,
        )
        return report_pdf(data)

    def export(self, who: Who, what: str) -> bytes:
        """One of the exports as a file's bytes: ``report`` (the doctor summary, PDF;
        ``ContractError`` without an assessment), ``fhir`` (everything stored, FHIR JSON) or
        ``csv`` (the diary)."""
        if what == "report":
            return self.report_pdf(who)
        if what == "fhir":
            return json.dumps(self.fhir_bundle(who), indent=2, ensure_ascii=False).encode()
        if what == "csv":
            return self.diary_csv(who).encode()
        raise ValueError(f"unknown download: {what}")

    def diary_csv(self, who: Who) -> str:
        return diary_csv(self.records.history(who)[2])

    def fhir_bundle(self, who: Who) -> dict[str, Any]:
        """Everything stored about the person, walking tests included."""
        person, assessments, entries, plan, escalations = self.records.history(who)
        return export_bundle(
            person,
            assessments,
            entries,
            plan,
            escalations,
            generated_at=self.records.clock(),
            walking_tests=WalkingTests(self.records).tests(person),
        )


def _trend_sentence(status: DiaryStatus) -> str:
    pain = status.trend.pain
    if pain.first is None or pain.latest is None or status.days_logged < 2:
        return f"{status.days_logged} check-in(s) so far: too few to show a trend."
    direction = pain.direction.value if pain.direction else "unchanged"
    return (
        f"Over {status.days_logged} check-ins, {pain.measure} went from {pain.first} to "
        f"{pain.latest} out of 10 ({direction})."
    )
