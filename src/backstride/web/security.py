"""Signed cookies, CSRF tokens and security headers.

CSRF uses the signed double-submit pattern (OWASP CSRF cheat sheet): a form's token is an
HMAC of the visitor's session token (or, before sign-in, of a random anonymous cookie), so a
page from another site can neither read nor forge it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "bs_session"
ANON_COOKIE = "bs_anon"
DRAFT_COOKIE = "bs_draft"
CSRF_FIELD = "csrf_token"

#: No inline script or style anywhere: every script and stylesheet is a file the app serves.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class Signer:
    """Signs small JSON values with HMAC-SHA256 under the app's secret."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("backstride-signing:" + secret).encode()).digest()

    def _mac(self, purpose: str, data: bytes) -> str:
        mac = hmac.new(self._key, purpose.encode() + b"\0" + data, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def sign(self, purpose: str, value: Any) -> str:
        data = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
        body = base64.urlsafe_b64encode(data).decode().rstrip("=")
        return f"{body}.{self._mac(purpose, data)}"

    def unsign(self, purpose: str, signed: str) -> Any | None:
        """The value, or None when the signature does not match (tampered or foreign)."""
        body, _, mac = signed.partition(".")
        try:
            data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except ValueError:
            return None
        if not hmac.compare_digest(mac, self._mac(purpose, data)):
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None

    def pseudonym(self, value: str) -> str:
        """A stable stand-in for ``value`` (a client's address) that cannot be turned back
        into it without the secret: for rate limits and the security log."""
        return self._mac("pseudonym", value.encode())[:22]

    def csrf_token(self, binding: str) -> str:
        return self._mac("csrf", binding.encode())

    def check_csrf(self, binding: str, token: str) -> bool:
        return bool(binding) and hmac.compare_digest(self.csrf_token(binding), token)


def new_anonymous_id() -> str:
    return secrets.token_urlsafe(24)


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI, so streaming is untouched)."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {name for name, _ in message["headers"]}
                message["headers"].extend(h for h in self.headers if h[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)
