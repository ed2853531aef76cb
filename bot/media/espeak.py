"""The offline voice: espeak-ng (Debian's espeak-ng package) speaks, opusenc (Debian's
opus-tools) packs the sound as Ogg Opus, the format of a Telegram voice note.

Both run as subprocesses with the words on stdin (never on the command line, where other
users of the machine could read them) and a time limit.
"""

from __future__ import annotations

import shutil
import struct
import subprocess

from bot.media.speech import SpeechError

OPUS_RATE = 48_000  # Ogg Opus counts granules at 48 kHz whatever the input rate
# espeak-ng voice names for the languages whose default voice is not the right one.
VOICES = {"en": "en-gb"}
TIMEOUT_SECONDS = 30


class EspeakEngine:
    name = "espeak-ng"
    extension = ".ogg"
    mime_type = "audio/ogg"

    def __init__(
        self, *, words_per_minute: int = 140, espeak: str = "espeak-ng", opusenc: str = "opusenc"
    ) -> None:
        self.words_per_minute = words_per_minute
        self._espeak = espeak
        self._opusenc = opusenc

    def available(self) -> bool:
        return shutil.which(self._espeak) is not None and shutil.which(self._opusenc) is not None

    def voice_for(self, language: str) -> str:
        return f"{VOICES.get(language, language)}@{self.words_per_minute}"

    def speak(self, text: str, language: str) -> bytes:
        voice = VOICES.get(language, language)
        speak = [self._espeak, "-v", voice, "-s", str(self.words_per_minute), "--stdin"]
        wav = self._run([*speak, "--stdout"], text.encode("utf-8"))
        if len(wav) <= 44:  # a header and no sound: espeak-ng did not know the voice
            raise SpeechError(f"espeak-ng made no sound for voice {voice!r}")
        encode = [self._opusenc, "--quiet", "--speech", "--bitrate", "24", "-", "-"]
        return self._run(encode, wav)

    def _run(self, command: list[str], data: bytes) -> bytes:
        try:
            done = subprocess.run(  # noqa: S603 - a fixed program, no shell, words on stdin
                command, input=data, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except FileNotFoundError:
            raise SpeechError(f"{command[0]} is not installed") from None
        except subprocess.TimeoutExpired:
            raise SpeechError(f"{command[0]} took more than {TIMEOUT_SECONDS} s") from None
        if done.returncode != 0 or not done.stdout:
            raise SpeechError(f"{command[0]} failed with exit code {done.returncode}")
        return done.stdout

    def duration(self, data: bytes) -> int | None:
        """From the last Ogg page's granule position: samples at 48 kHz."""
        last = data.rfind(b"OggS")
        if last < 0 or len(data) < last + 14:
            return None
        (granule,) = struct.unpack_from("<q", data, last + 6)
        return max(1, round(granule / OPUS_RATE)) if granule > 0 else None
