"""Security headers on every answer, from one middleware (pure ASGI, so the web chat's
Server-Sent Events stream through untouched: only the start of an answer is changed).

- `Cache-Control: no-store` on everything but /static/: pages, API answers, the web chat,
  CSV downloads, picture cards and voice notes may all carry personal data, and a shared
  computer or a proxy must keep none of it. The static files (style sheets, scripts) are
  the same for everyone and may be cached.
- A Content-Security-Policy: nothing from anywhere but this site; scripts only from our
  own files (no inline script, no eval); style sheets from our files, and an inline
  <style> only with this answer's nonce (the report charts' SVG, web/charts.py, which
  carries it; ask for it with `csp_nonce(request)`); no style attributes at all; forms
  post only to us; no framing (`frame-ancestors 'none'`, and X-Frame-Options for older
  browsers); no <base>.
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (a web chat address
  is that chat's key and must not travel in a Referer).
- `Strict-Transport-Security` when cookies are secure (WEB_SECURE_COOKIES, so behind
  HTTPS), for a year; not for subdomains, which may be other services.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE_KEY = "csp_nonce"
STATIC = "/static/"
HSTS = "max-age=31536000"
POLICY = (
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'nonce-{nonce}'",
    "img-src 'self'",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
)


def csp_nonce(request: Request) -> str:
    """This answer's nonce, for an inline <style> the policy should allow."""
    return str(request.scope.get(NONCE_KEY, ""))


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        fixed = {
            "content-security-policy": "; ".join(POLICY).format(nonce=nonce),
            "x-frame-options": "DENY",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
        }
        if not scope["path"].startswith(STATIC):
            fixed["cache-control"] = "no-store"
        if self.hsts:
            fixed["strict-transport-security"] = HSTS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in fixed.items():
                    headers[name] = value
            await send(message)

        await self.app({**scope, NONCE_KEY: nonce}, receive, send_with_headers)
