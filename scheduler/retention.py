"""The daily retention job: every rule of bot/services/retention.py, a batch at a time,
each batch its own unit of work, committed here; then the old files of the media cache.

Safe on several workers at once: on PostgreSQL each batch picks its rows with
``FOR UPDATE SKIP LOCKED``, so two jobs running together take different rows and the
totals add up; on SQLite writers take turns. Each run is recorded (retention_run: when,
and how many rows of each kind), and the admin's dashboard shows the last one. A run
that dies part way loses nothing: what it committed is done, the rest waits for the next.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from bot.domain.clock import Clock
from bot.media.cached import CachedMedia
from bot.models import RetentionRun
from bot.services import retention
from bot.settings import RetentionSettings
from bot.storage import UnitOfWorkFactory

log = logging.getLogger(__name__)
MEDIA_CACHE = "media-cache"


def run(
    uow: UnitOfWorkFactory,
    clock: Clock,
    settings: RetentionSettings,
    media: CachedMedia | None = None,
    *,
    via: str = "job",
) -> dict[str, int]:
    """Take everything past its period; how many rows (and cached files) of each kind went."""
    with uow() as work:
        record = RetentionRun(started_at=clock.now(), via=via)
        work.session.add(record)
        work.commit()
        run_id = record.id
    counts: dict[str, int] = {}
    for rule in retention.RULES:
        while True:
            with uow() as work:
                picked, changed = retention.take(
                    work.session, clock, rule, settings, settings.batch_size
                )
                work.commit()
            if changed:
                counts[rule.name] = counts.get(rule.name, 0) + changed
            if not picked or not changed:
                break
    if media is not None:
        cutoff = clock.now() - timedelta(days=settings.message_words_days)
        gone = sum(_remove(path) for path in list(media.older_than(cutoff)))
        if gone:
            counts[MEDIA_CACHE] = gone
    with uow() as work:
        done = work.session.get(RetentionRun, run_id)
        if done is None:  # deleted by hand while it ran: nothing to record it on
            raise LookupError(f"retention run {run_id} is gone")
        done.finished_at = clock.now()
        done.counts = dict(counts)
        work.session.add(done)
        work.commit()
    log.info("retention run", extra={"run": run_id, "counts": counts})
    return counts


def _remove(path: Path) -> int:
    try:
        path.unlink()
    except FileNotFoundError:  # another worker's run took it first
        return 0
    return 1
