"""How refusals look: a page for the dashboard, JSON for the API. Every one says what
happened in plain words; none says whether a person the account may not see exists."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from bot.domain.errors import Duplicate, Invalid, NotFound
from bot.services.access import Forbidden
from web.auth import LoginRequired, SecondFactorRequired, TokenRequired
from web.templating import page

JSON_PATHS = ("/api/", "/telegram/", "/healthz")  # machines read these, not people


def _api(request: Request) -> bool:
    return request.url.path.startswith(JSON_PATHS)


def _problem(request: Request, status: int, heading: str, message: str) -> Response:
    if _api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return page(request, "problem.html", {"heading": heading, "message": message}, status)


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: Exception) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        if request.method != "GET":
            target = "/"
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(SecondFactorRequired)
    async def _second_factor(request: Request, _: Exception) -> Response:
        return RedirectResponse("/account/second-factor", status_code=303)

    @app.exception_handler(TokenRequired)
    async def _token(request: Request, _: Exception) -> Response:
        return JSONResponse(
            {"detail": "An API token is needed: send 'Authorization: Bearer <token>'."},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _: Exception) -> Response:
        return _problem(request, 403, "You cannot see this page", "Your role does not allow it.")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: Exception) -> Response:
        return _problem(request, 404, "Page not found", str(error))

    @app.exception_handler(Invalid)
    async def _invalid(request: Request, error: Exception) -> Response:
        return _problem(request, 422, "That did not work", str(error))

    @app.exception_handler(Duplicate)
    async def _duplicate(request: Request, error: Exception) -> Response:
        return _problem(request, 409, "That exists already", str(error))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return _problem(request, 404, "Page not found", "There is nothing at this address.")
        if error.status_code == 405:
            return _problem(request, 405, "Not allowed", "This address does not take that.")
        return _problem(request, error.status_code, "Something went wrong", str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        problems = [
            {
                "field": ".".join(str(p) for p in problem["loc"] if p not in ("body", "query")),
                "message": problem["msg"],
            }
            for problem in error.errors()
        ]
        if _api(request):
            return JSONResponse({"detail": problems}, status_code=422)
        lines = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return _problem(request, 422, "That did not work", lines)
