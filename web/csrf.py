"""CSRF protection: a signed double-submit cookie that no header a page can add switches off.

Why our own, a module of under 200 lines, rather than a library: asgi-csrf (which this replaces)
skipped the check for any request with an `Authorization: Bearer` header on every path,
and crashed (a 500) on a multipart form that carried a cookie with the python-multipart we
lock. starlette-csrf takes the token from a header only, so the dashboard's forms (which
work without script) would need script. fastapi-csrf-protect is called from each route,
and a route that forgot it would be open. One middleware in front of every route, which
reads the form with Starlette's own parser, keeps every form and fetch as it was.

How it works:
- The token is a random value signed with the app's secret (itsdangerous, its own salt),
  sent once in the `csrftoken` cookie (SameSite=Lax, Secure behind HTTPS; not HttpOnly,
  since the pages' scripts send it back). A page asks for it through
  `scope["csrftoken"]()`, which sets the cookie on that answer if the browser has none.
- Every POST, PUT, PATCH and DELETE must send the same value back: in the `x-csrftoken`
  header (the pages' fetch calls) or in the form's `csrftoken` field (urlencoded or
  multipart, anywhere in the form). A missing, unsigned or different token is a 403 that
  says the form has expired; a body that cannot be read as a form is a 400.
- A browser's `Sec-Fetch-Site` of cross-site or same-site is refused even with a token:
  only our own pages post to us (another site, or a sibling subdomain that could plant a
  cookie, cannot).
- Exempt, since no browser adds their credential on its own: the Telegram webhook (its
  secret header) and, under /api/ only, a call with an `Authorization: Bearer` header (the
  API reads no cookie) or with no cookie at all (nothing ambient to abuse; the API answers
  401). Anywhere else a Bearer header changes nothing.

What it does not do: bind the token to the session. A cookie planted by someone who can
write our cookies still fails the Sec-Fetch-Site check in a current browser, and the
session cookie itself is SameSite=Lax, so a cross-site form never carries it.
"""

from __future__ import annotations

import hmac
import json
import secrets
from urllib.parse import parse_qsl

from itsdangerous import BadSignature, URLSafeSerializer
from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "csrftoken"
FIELD = "csrftoken"  # the forms' hidden field
HEADER = "x-csrftoken"  # the pages' fetch calls
SCOPE_KEY = "csrftoken"  # scope[SCOPE_KEY]() gives a page its token
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
WEBHOOK = "/telegram/webhook"
API = "/api/"
OTHER_SITES = frozenset({"cross-site", "same-site"})
EXPIRED = "This form has expired. Go back, reload the page and try again."
UNREADABLE = "This form could not be read. Go back, reload the page and try again."


class CsrfProtect:
    def __init__(self, app: ASGIApp, *, secret: str, secure: bool) -> None:
        self.app = app
        self.signer = URLSafeSerializer(secret, salt="waymark-csrf")
        self.secure = secure

    def _signed(self, token: str | None) -> bool:
        if not token:
            return False
        try:
            self.signer.loads(token)
        except BadSignature:
            return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = Request(scope).cookies.get(COOKIE)
        has_cookie = self._signed(cookie)
        token = cookie if cookie and has_cookie else self.signer.dumps(secrets.token_urlsafe(18))
        wanted = False

        def page_token() -> str:
            nonlocal wanted
            wanted = True
            return token

        async def send_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and wanted and not has_cookie:
                message.setdefault("headers", [])
                MutableHeaders(scope=message).append("set-cookie", self._cookie(token))
            await send(message)

        scope = {**scope, SCOPE_KEY: page_token}
        if scope["method"] in SAFE_METHODS or _exempt(scope["path"], headers):
            await self.app(scope, receive, send_cookie)
            return
        if headers.get("sec-fetch-site", "") in OTHER_SITES or not has_cookie:
            await _refuse(scope, send, 403, EXPIRED)
            return
        if _same(headers.get(HEADER, ""), token):
            await self.app(scope, receive, send_cookie)
            return
        try:
            sent, replay = await _form_token(scope, receive)
        except (HTTPException, MultiPartException):
            await _refuse(scope, send, 400, UNREADABLE)
            return
        if not _same(sent, token):
            await _refuse(scope, send, 403, EXPIRED)
            return
        await self.app(scope, replay, send_cookie)

    def _cookie(self, token: str) -> str:
        secure = "; Secure" if self.secure else ""
        return f"{COOKIE}={token}; Path=/; SameSite=Lax{secure}"


def _exempt(path: str, headers: Headers) -> bool:
    if path == WEBHOOK:
        return True
    if not path.startswith(API):
        return False
    bearer = headers.get("authorization", "").lower().startswith("bearer ")
    return bearer or "cookie" not in headers


def _same(sent: str, token: str) -> bool:
    return bool(sent) and hmac.compare_digest(sent.encode(), token.encode())


async def _form_token(scope: Scope, receive: Receive) -> tuple[str, Receive]:
    """The form's token field ("" if none or not a form), and a receive that replays the
    whole body to the route. The body is bounded by web/limits.py, outside this."""
    messages: list[Message] = []
    more = True
    while more:
        message = await receive()
        messages.append(message)
        more = message["type"] == "http.request" and message.get("more_body", False)
    kind, _ = parse_options_header(Headers(scope=scope).get("content-type"))
    if kind == b"application/x-www-form-urlencoded":
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        sent = next((value for name, value in fields if name == FIELD), "")
    elif kind == b"multipart/form-data":
        async with Request(scope, _replay(messages, receive)).form() as form:
            found = form.get(FIELD)
            sent = found if isinstance(found, str) else ""
    else:
        sent = ""
    return sent, _replay(messages, receive)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    waiting = list(messages)

    async def replay() -> Message:
        return waiting.pop(0) if waiting else await receive()

    return replay


async def _refuse(scope: Scope, send: Send, status: int, words: str) -> None:
    if scope["path"].startswith(API):
        body, kind = json.dumps({"detail": words}).encode(), b"application/json"
    else:
        body, kind = _page(words), b"text/html; charset=utf-8"
    start: Message = {"type": "http.response.start", "status": status}
    start["headers"] = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send(start)
    await send({"type": "http.response.body", "body": body})


def _page(words: str) -> bytes:
    heading = "This form has expired" if words == EXPIRED else "This form could not be read"
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<title>{heading} - Waymark</title></head><body><main><h1>{heading}</h1>"
        f"<p>{words}</p></main></body></html>"
    ).encode()
