"""A year (or any span) of Waymark for a few of the demo's people, made as the demo is made:
by replaying it through the real services and the real conversation (bot/demo/replay.py),
not by writing rows that look right.

The demo's History plays its twelve people over three months; `Span` plays the people it
is given over `days`, and gives the first of them the scenes that make every kind of
record: a red mood (an urgent alert), a check-in answered "I need help", words sent to
the coach (relayed in an alert) that the coach answers (a coach's reply), and an About me
shared with IOM staff. The second gets
a message to the coach as well, so each has words in an alert.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import partial
from random import Random

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.content.library import ContentLibrary
from bot.demo.history import NIGHT, History
from bot.demo.people import PEOPLE
from bot.demo.plans import PLANS
from bot.demo.replay import Replay
from bot.demo.seed import SEED
from bot.demo.story import Member, Scene, Story
from bot.domain.localtime import at_local, local
from bot.models import ChannelLink, Person
from bot.storage import UnitOfWork, committed

YEAR = 365
ABOUT_ME = (
    "am:spoken:calm",
    "am:understand:written",
    "am:understand:done",
    "am:hard:done",
    "am:time:morning",
    "am:overwhelmed:break",
    "am:format:words",
    "am:words:done",
    "am:share:yes",
)


@dataclass(frozen=True)
class Lived:
    """Who was replayed: their references, names and web chat ids, by reference."""

    names: dict[str, str]
    chats: dict[str, str]
    person_ids: dict[str, int]


class Span(History):
    def __init__(self, story: Story, refs: tuple[str, ...], days: int) -> None:
        super().__init__(story)
        self.refs = refs
        self.days = days

    def play(self) -> None:
        today = self.story.today
        self._at(today - timedelta(days=self.days + 2), time(9, 0), self._accounts)
        sketches = [
            replace(s, joined=self.days) for ref in self.refs for s in PEOPLE if s.ref == ref
        ]
        for index, sketch in enumerate(sketches):
            member = Member(sketch, PLANS[sketch.ref])
            joined = at_local(today - timedelta(days=sketch.joined), time(10, 0))
            self.replay.at(joined + timedelta(minutes=7 * index), partial(self._join, member))
        for day in range(self.days + 2):
            self._at(today - timedelta(days=day), NIGHT, self._plan)
        self._span_scenes()
        self.replay.run()
        self._acknowledge()
        self._plan()

    def _span_scenes(self) -> None:
        story, first = self.story, self.refs[0]
        story.scenes[Scene.HELP] = (at_local(story.today - timedelta(days=60), NIGHT), first)
        story.scenes[Scene.RED] = (at_local(story.today - timedelta(days=38), NIGHT), first)
        for days_ago, ref in ((10, first), (20, self.refs[1] if len(self.refs) > 1 else first)):
            asked = at_local(story.today - timedelta(days=days_ago), time(16, 20))
            self.replay.at(asked, partial(self._relay_of, ref))

        made = at_local(story.today - timedelta(days=min(30, self.days // 2)), time(11, 0))
        self.replay.at(made, partial(self._about_me, first))

    def _relay_of(self, ref: str) -> None:
        self._relay(self._member(ref))

    def _about_me(self, ref: str) -> None:
        """They make their About me with /aboutme, and say their IOM staff may see it."""
        chat_id = self._member(ref).chat_id
        self.replay.type(chat_id, "/aboutme")
        for data in ABOUT_ME:
            self.replay.press(chat_id, data)


def replay(
    engine: Engine, now: datetime, content: ContentLibrary, refs: tuple[str, ...], days: int = YEAR
) -> Lived:
    """Replay `days` of the people named by `refs` up to `now`, and commit it."""
    with committed(partial(UnitOfWork, engine)) as work:
        Span(Story(Replay(work, content, now), Random(SEED), local(now).date()), refs, days).play()
    with Session(engine) as session:
        people = session.exec(select(Person).where(col(Person.ref).in_(refs))).all()
        links = {link.person_id: link.chat_id for link in session.exec(select(ChannelLink)).all()}
        return Lived(
            names={p.ref: p.preferred_name for p in people},
            chats={p.ref: links[p.id] for p in people},
            person_ids={p.ref: p.id or 0 for p in people},
        )
