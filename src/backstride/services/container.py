"""Every service over one database and one content bundle, opened together.

The web app and long-running tools hold one ``Services``; nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pwdlib import PasswordHash

from backstride.domain.diary import Person, Role
from backstride.programme.model import Preferences
from backstride.services.accounts import Accounts
from backstride.services.assessments import AssessmentService, default_service
from backstride.services.clinic import Clinic
from backstride.services.plans import PlanService
from backstride.services.progress import Progress
from backstride.services.records import Clock, Records, utc_now
from backstride.services.reports import Reports
from backstride.services.settings import Settings
from backstride.services.store import Store


@dataclass(frozen=True, slots=True)
class Services:
    store: Store
    assessments: AssessmentService
    plans: PlanService
    records: Records
    accounts: Accounts
    reports: Reports
    progress: Progress
    clinic: Clinic

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        assessments: AssessmentService | None = None,
        clock: Clock = utc_now,
        hasher: PasswordHash | None = None,
    ) -> Services:
        store = Store.open(settings)
        service = assessments or default_service()
        records = Records(store, service, clock, settings.timezone)
        accounts = Accounts(store, clock, hasher)
        reports = Reports(records)
        return cls(
            store=store,
            assessments=service,
            plans=PlanService(service),
            records=records,
            accounts=accounts,
            reports=reports,
            progress=Progress(records),
            clinic=Clinic(records, accounts, reports),
        )

    def close(self) -> None:
        self.store.close()

    def keep_assessment(
        self, person: Person, answers: dict[str, Any], preferences: Preferences | None = None
    ) -> int:
        """Assess ``answers`` for a signed-in person, store the result and a fresh programme
        built from it; returns the stored assessment's id."""
        if person.role is not Role.PERSON:
            raise PermissionError("only people keeping a diary store assessments")
        plan = self.plans.plan(answers, preferences or Preferences())
        stored = self.records.store_assessment(person.name, answers, plan.assessment)
        self.records.store_plan(person.name, stored.id, self.plans.to_contract(plan, animate=False))
        return stored.id
