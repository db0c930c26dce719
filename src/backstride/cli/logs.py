"""What the server writes to its logs: uvicorn's own messages, the security log, and one
access line per request that tells an operator what was asked and answered but not who asked
or whose record it was.

uvicorn's access line carries the client's address and the whole path with its query string:
``/clinician/people/17`` says that record 17 was opened, and the address says from where.
Here the address is left out, numbers in the path become ``{id}`` and the query string is
dropped (it can carry a path of its own, as in ``/login?next=...``)."""

from __future__ import annotations

import copy
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from uvicorn.config import LOGGING_CONFIG

from backstride.services.security_log import LOGGER as SECURITY_LOGGER

#: A path segment that is a number (a record's id), whole or before an extension.
_NUMBER_SEGMENT = re.compile(r"(?<=/)\d+(?=/|\.|$)")
#: The arguments of uvicorn's access line: client, method, path, HTTP version, status.
_ACCESS_ARGS = 5


def private_path(path: str) -> str:
    """``path`` without its query string, with every numeric segment replaced by ``{id}``."""
    return _NUMBER_SEGMENT.sub("{id}", path.split("?", 1)[0])


class PrivateAccess(logging.Filter):
    """Rewrites uvicorn's access records (see the module docstring); passes everything."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == _ACCESS_ARGS:
            _client, method, path, version, status = args
            record.args = ("-", method, private_path(str(path)), version, status)
        return True


#: A security line: the word, then the event as JSON.
SECURITY_FORMAT = "security %(message)s"


@contextmanager
def security_log_to_stderr() -> Iterator[None]:
    """For an account command of the command line: its security events on standard error
    while it runs (``backstride serve`` configures this in ``log_config`` instead)."""
    logger = logging.getLogger(SECURITY_LOGGER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(SECURITY_FORMAT))
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the access line made private, and the security
    log (``backstride.security``: JSON lines, see ``services.security_log``) on standard
    error beside uvicorn's messages."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["private"] = {"()": f"{__name__}.PrivateAccess"}
    config["formatters"]["access"]["fmt"] = '%(levelprefix)s "%(request_line)s" %(status_code)s'
    config["handlers"]["access"]["filters"] = ["private"]
    config["formatters"]["security"] = {"format": SECURITY_FORMAT}
    config["handlers"]["security"] = {
        "formatter": "security",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
    }
    config["loggers"][SECURITY_LOGGER] = {
        "handlers": ["security"],
        "level": "INFO",
        "propagate": False,
    }
    return config
