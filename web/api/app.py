"""The API's own FastAPI application, mounted at /api/v1 by web/app.py.

A mounted sub-application rather than a router of the site: it has its own OpenAPI
document (/api/v1/openapi.json, with /api/v1 as its server, listing only the API), its own
refusals (always JSON; 422 always names fields), and nothing of the dashboard's pages
leaks into it. It still sits inside the site's middleware, so the body limit (413)
holds. It takes no cookie at all: only `Authorization: Bearer <token>`, so a browser's
session can never act through it, and CSRF does not arise (web/app.py skips the check
for /api/ and a call without a token is a 401).
"""

from __future__ import annotations

from importlib.metadata import version

from fastapi import FastAPI
from fastapi.routing import APIRoute

from web.api import (
    alerts,
    appointments,
    content,
    goals,
    invites,
    me,
    nudges,
    people,
    problems,
    reports,
)
from web.deps import Site

DESCRIPTION = """\
Waymark's JSON API, for a case-management system to feed appointments in and for
scripts. Every call sends `Authorization: Bearer <token>` (made on the dashboard's
'Your API tokens' page) and acts with the token's account and role, as the dashboard
does: a coach on their own people; IOM staff on the attendance of the people assigned to
them; managers on reports; admins on nothing of people.

Times are ISO 8601 with a UTC offset (`2026-11-25T10:00:00+00:00` or `...Z`); a time
without one is refused. Waymark answers in UTC. A person is named by their case
reference, in any case. A person, appointment, goal, nudge or alert outside the
account's own people is a 404, as if it did not exist. Every view and change is written
to the audit trail.

Appointments fed in keep Waymark's `id` (from the answer to the POST): move, cancel and
record outcomes by it.
"""

# Sub-resources of a person first: "/people/{ref:path}" would take their paths too.
ROUTERS = (
    me.router,
    appointments.router,
    goals.router,
    nudges.router,
    invites.router,
    people.router,
    content.router,
    alerts.router,
    reports.router,
)


def _operation_id(route: APIRoute) -> str:
    return route.name  # the function's name: list_people, add_appointment, ...


def create_api(waymark: Site) -> FastAPI:
    api = FastAPI(
        title="Waymark API",
        version=version("waymark"),
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
    )
    api.state.site = waymark
    problems.install(api)
    for router in ROUTERS:
        api.include_router(router)
    return api
