"""What routes depend on, as small typed `Annotated` dependencies.

The web app is given a `Site`: what the composition root built, seen only through the
parts the web uses (web/ never imports bot/composition.py). A route asks for what it
uses: the request's unit of work (`UowDep`), the clock, the content people get, the
files' own words, the settings; never the whole.

`UowDep` is the request's one unit of work: it commits once, after the route returns and
before the answer is sent (FastAPI's `scope="function"`), and rolls back when the route
raises. What must wait for the commit goes to `uow.after_commit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request

from bot.channels.telegram.runtime import TelegramRuntime
from bot.channels.telegram.webhook import WebhookIntake
from bot.channels.webchat.intake import Webchat
from bot.content.library import ContentLibrary
from bot.domain.clock import Clock
from bot.media.maker import MediaMaker
from bot.settings import Settings
from bot.storage import UnitOfWork, UnitOfWorkFactory, committed
from scheduler.runner import SchedulerRunner


class Site(Protocol):
    """The parts of a running Waymark that the web app uses."""

    settings: Settings
    clock: Clock
    content: ContentLibrary  # what people get: the files with the dashboard's edits
    files: ContentLibrary  # the files' own words
    media: MediaMaker | None
    runner: SchedulerRunner
    telegram: TelegramRuntime[Any] | None
    webhook: WebhookIntake | None
    webchat: Webchat
    started: bool
    roles: frozenset[str]  # what this worker runs (bot/domain/roles.py)

    def uow(self) -> UnitOfWork: ...

    def use_content(self, library: ContentLibrary) -> None: ...


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _uow(request: Request) -> Iterator[UnitOfWork]:
    with committed(site_of(request).uow) as uow:
        yield uow


def _uow_factory(request: Request) -> UnitOfWorkFactory:
    return site_of(request).uow


def _clock(request: Request) -> Clock:
    return site_of(request).clock


def _content(request: Request) -> ContentLibrary:
    return site_of(request).content


def _files(request: Request) -> ContentLibrary:
    return site_of(request).files


def _settings(request: Request) -> Settings:
    return site_of(request).settings


def _media(request: Request) -> MediaMaker | None:
    return site_of(request).media


def _use_content(request: Request) -> Callable[[ContentLibrary], None]:
    return site_of(request).use_content


def _webchat(request: Request) -> Webchat:
    return site_of(request).webchat


def _webhook(request: Request) -> WebhookIntake | None:
    return site_of(request).webhook


def _started(request: Request) -> bool:
    return site_of(request).started


def _runner(request: Request) -> SchedulerRunner:
    return site_of(request).runner


def _roles(request: Request) -> frozenset[str]:
    return site_of(request).roles


def _telegram(request: Request) -> TelegramRuntime[Any] | None:
    return site_of(request).telegram


UowDep = Annotated[UnitOfWork, Depends(_uow, scope="function")]
UowFactoryDep = Annotated[UnitOfWorkFactory, Depends(_uow_factory)]  # for streamed answers
ClockDep = Annotated[Clock, Depends(_clock)]
ContentDep = Annotated[ContentLibrary, Depends(_content)]
FilesDep = Annotated[ContentLibrary, Depends(_files)]
SettingsDep = Annotated[Settings, Depends(_settings)]
MediaDep = Annotated[MediaMaker | None, Depends(_media)]
UseContentDep = Annotated[Callable[[ContentLibrary], None], Depends(_use_content)]
WebchatDep = Annotated[Webchat, Depends(_webchat)]
# The running state, for the webhook and /healthz.
WebhookDep = Annotated[WebhookIntake | None, Depends(_webhook)]
StartedDep = Annotated[bool, Depends(_started)]
RunnerDep = Annotated[SchedulerRunner, Depends(_runner)]
TelegramDep = Annotated[TelegramRuntime[Any] | None, Depends(_telegram)]
RolesDep = Annotated[frozenset[str], Depends(_roles)]
