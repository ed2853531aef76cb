"""A `waymark` command running in a process of its own, as someone starts it in a
terminal: what it prints is read line by line, its logs go to a file, and it is stopped
with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

WAYMARK = Path(sys.executable).with_name("waymark")  # the installed console script
# Settings a developer's shell may hold, which a test must not inherit.
UNSET = ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WEB_PUBLIC_URL", "WEB_HOST", "WEB_PORT")


class Running:
    def __init__(self, cwd: Path, *args: str, **env: str) -> None:
        environ = {k: v for k, v in os.environ.items() if k not in UNSET}
        environ.update(env, PYTHONUNBUFFERED="1")
        self.log = cwd / "waymark.log"
        self._log = self.log.open("w")
        self.process = subprocess.Popen(
            [str(WAYMARK), *args],
            cwd=cwd,  # never the project's folder: its ./var and .env stay untouched
            env=environ,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self.printed: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def __enter__(self) -> Running:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._log.close()

    def wait_for_line(self, text: str, timeout: float) -> list[str]:
        """Everything printed up to the first line holding `text`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no {text!r} after {timeout} s: {self.printed}") from None
            if line is None:
                raise AssertionError(f"it ended without {text!r}: {self.printed} {self.logs()}")
            self.printed.append(line)
            if text in line:
                return self.printed

    def wait_for_log(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.logs())
            if found is not None:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} in the logs: {self.logs()[-2000:]}")

    @staticmethod
    def get(url: str) -> tuple[int, bytes]:
        """A plain GET from outside, as a browser makes it: status and body."""
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our own loopback
                return int(answer.status), bytes(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def logs(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log.read_text()

    def interrupt(self, timeout: float) -> int:
        """Ctrl-C, and how it ended."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)
