"""The security log: one JSON line per event that matters when investigating an attack on
accounts (OWASP ASVS 4.0.3 V7.1-7.2): sign-ins and their failures, sign-ins and sign-ups
refused by the rate limit, password changes and resets, sessions opened and closed, accounts
created and deleted, clinician links, and requests refused for lack of access.

A line names the event, the account by its number (never its name, which may be a real name,
and never what was typed: a password typed into the name field must not reach a log), the
client by a keyed pseudonym of its address (``client``: the same address gives the same value,
and the address cannot be read back without the app's secret), the time, and a few fixed
details (a session's kind, a refused route's pattern). Nothing about anyone's health.

Lines go to the ``backstride.security`` logger at INFO; ``backstride serve`` writes them to
standard error beside uvicorn's own messages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime

LOGGER = "backstride.security"

#: Every event the log can hold, with what it means (the log's vocabulary, documented once).
EVENTS: dict[str, str] = {
    "sign_in": "a correct name and password",
    "sign_in_failed": "a wrong password, or a name with no account (account is then null)",
    "sign_in_blocked": "refused by the rate limit before the password was checked",
    "account_created": "a new account signed up",
    "sign_up_blocked": "a sign-up refused: too many from one address",
    "account_deleted": "an account and everything stored about it deleted by its owner",
    "password_changed": "the owner changed the password (every other session ended)",
    "password_set": "an administrator set the password from the command line",
    "reset_code_issued": "an administrator made a one-time reset code",
    "password_reset": "a reset code used to set a new password",
    "password_reset_failed": "a wrong or expired reset code, or a name with no account",
    "session_opened": "a browser session or API token issued",
    "session_closed": "a browser signed out or an API token revoked",
    "clinician_linked": "a person accepted a clinician's invitation",
    "clinician_unlinked": "a person stopped sharing their records with a clinician, or a "
    "clinician removed a person from their list",
    "access_denied": "a signed-in user asked for something that is not theirs to see",
    "csrf_rejected": "a form or script request without a valid token for its session",
}

Detail = str | int | None


class SecurityLog:
    """Writes the security log (see the module docstring)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.logger = logging.getLogger(LOGGER)

    def record(
        self,
        event: str,
        *,
        account: int | None = None,
        client: str | None = None,
        **detail: Detail,
    ) -> None:
        """One line for ``event`` (one of ``EVENTS``): the account's number and the client's
        pseudonym, if known, and fixed details (never names, passwords, tokens or health)."""
        if event not in EVENTS:
            raise ValueError(f"unknown security event {event!r}")
        line = {
            "at": self.clock().isoformat(timespec="seconds"),
            "event": event,
            "account": account,
            "client": client,
            **detail,
        }
        self.logger.info(json.dumps(line, separators=(",", ":")))
