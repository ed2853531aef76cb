"""The offline voice: the espeak-ng library speaks the words, and bot/media/opus.py packs
the sound as Ogg Opus, the format of a Telegram voice note. Everything comes from PyPI
wheels, so `uv sync` gives voice notes on any machine, with nothing from Debian.

Why these parts (tried for real, December 2026):
- espeakng-loader ships libespeak-ng 1.52 and its data (the voices and dictionaries) in
  manylinux wheels for x86_64 and aarch64. We drive the library through ctypes: it is the
  same espeak-ng that Debian packages, without a program to install. It makes 16-bit mono
  sound at 22,050 Hz: 11 s of speech in about 30 ms on our 2-core machine.
- The sound is packed by PyAV (bot/media/opus.py), not soundfile: Opus takes only 8, 12,
  16, 24 or 48 kHz, so 22,050 Hz must be resampled first. PyAV brings FFmpeg's resampler,
  libopus and the Ogg writer in one wheel and needs no numpy; soundfile's libsndfile writes
  Ogg Opus but refuses 22,050 Hz, and it needs numpy, so we would resample by hand. PyAV
  is the bigger download (36 MB against 18 MB for soundfile and numpy), once per install.
- espeak-ng is GPL-3.0-or-later, as Debian's package was; the wheel holds no licence file
  of its own: espeak-ng's COPYING, in its source, is the one that applies.

The library runs inside this process, so it is treated with care: one call at a time
(espeak-ng keeps its voice and speed in global state, and is not thread safe), the words
are passed as UTF-8 bytes with SSML and phoneme input off, and a sound longer than a voice
note may be is cut off from inside the library's own callback (our time limit, since a
call into C cannot be interrupted). The library is loaded on the first voice note, never
at import.
"""

from __future__ import annotations

import ctypes
import logging
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from bot.media.opus import OPUS_RATE, ogg_opus
from bot.media.speech import SpeechError

log = logging.getLogger(__name__)
# espeak-ng language names for the languages whose default voice is not the right one.
VOICES = {"en": "en-gb"}
MAX_SECONDS = 300  # longer than any voice note; Telegram's 1 MB is about 330 s of ours

# From espeak-ng's speak_lib.h and espeak_ng.h.
ENS_OK = 0
ENOUTPUT_MODE_SYNCHRONOUS = 0x0001
ESPEAK_RATE = 1
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Voice(ctypes.Structure):
    """espeak_VOICE: only `languages` is filled in, to choose a voice by its language."""

    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


@dataclass(frozen=True)
class Sound:
    """16-bit signed little-endian mono samples."""

    pcm: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.rate


def _bundled() -> tuple[Path, Path]:
    """The library and its data, from the espeakng-loader wheel."""
    import espeakng_loader  # here: looked for only when a voice note is made

    return Path(espeakng_loader.get_library_path()), Path(espeakng_loader.get_data_path())


@dataclass(frozen=True)
class _Started:
    library: ctypes.CDLL
    rate: int


class Espeak:
    """libespeak-ng through ctypes: the wheel's, unless `library` and `data` name others.

    The library keeps one voice and one speed for the whole process, so every instance
    shares one lock, and each library file is started once (or found broken once)."""

    _lock = threading.Lock()
    _started: ClassVar[dict[Path | None, _Started | str]] = {}  # or why it cannot start

    def __init__(self, library: Path | None = None, data: Path | None = None) -> None:
        self._library = library
        self._data = data

    def synthesize(
        self, text: str, language: str, words_per_minute: int, max_seconds: int = MAX_SECONDS
    ) -> Sound:
        with self._lock:
            started = self._start()
            library = started.library
            _check(library, library.espeak_ng_SetVoiceByProperties(ctypes.byref(_voice(language))))
            _check(library, library.espeak_ng_SetParameter(ESPEAK_RATE, words_per_minute, 0))
            return _speak(started, text, max_seconds)

    def _start(self) -> _Started:
        known = self._started.get(self._library)
        if isinstance(known, _Started):
            return known
        if known is not None:
            raise SpeechError(known)
        try:
            started = _start(self._library, self._data)
        except (ImportError, OSError, AttributeError, RuntimeError, SpeechError) as error:
            why = f"espeak-ng cannot start: {error}"
            self._started[self._library] = why
            log.warning("espeak-ng cannot start", extra={"error": str(error)[:200]})
            raise SpeechError(why) from None
        self._started[self._library] = started
        return started


def _start(library_path: Path | None, data: Path | None) -> _Started:
    if library_path is None or data is None:
        library_path, data = _bundled()
    library = ctypes.CDLL(str(library_path))
    _declare(library)
    library.espeak_ng_InitializePath(str(data).encode())
    context = ctypes.c_void_p()
    _check(library, library.espeak_ng_Initialize(ctypes.byref(context)))
    _check(library, library.espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, None))
    return _Started(library, library.espeak_ng_GetSampleRate())


def _speak(started: _Started, text: str, max_seconds: int) -> Sound:
    """The words as sound; cut off (and refused) past `max_seconds`."""
    library = started.library
    chunks: list[bytes] = []
    room = max_seconds * started.rate
    too_long = False

    def heard(wav: ctypes._Pointer[ctypes.c_short], samples: int, _: object) -> int:
        nonlocal room, too_long
        if samples > 0 and wav:
            chunks.append(ctypes.string_at(wav, samples * 2))
            room -= samples
        too_long = room < 0
        return 1 if too_long else 0  # 1: stop speaking

    callback = _CALLBACK(heard)  # kept alive until the call returns
    library.espeak_SetSynthCallback(callback)
    words = text.encode("utf-8")
    status = library.espeak_ng_Synthesize(
        words, len(words) + 1, 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None
    )
    library.espeak_SetSynthCallback(_CALLBACK())  # a null pointer: nothing dangles
    if too_long:
        raise SpeechError(f"the words are longer than {max_seconds} s of voice")
    _check(library, status)
    return Sound(b"".join(chunks), started.rate)


def _check(library: ctypes.CDLL, status: int) -> None:
    """A SpeechError with espeak-ng's own words for any status but ENS_OK."""
    if status == ENS_OK:
        return
    message = ctypes.create_string_buffer(512)
    library.espeak_ng_GetStatusCodeMessage(status, message, len(message))
    text = message.value.decode("utf-8", "replace") or f"status {status:#x}"
    raise SpeechError(f"espeak-ng: {text}")


def _declare(library: ctypes.CDLL) -> None:
    """The C signatures we call, so ctypes converts every argument the right way."""
    library.espeak_ng_InitializePath.argtypes = [ctypes.c_char_p]
    library.espeak_ng_InitializePath.restype = None
    library.espeak_ng_Initialize.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    library.espeak_ng_InitializeOutput.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p]
    library.espeak_ng_GetSampleRate.argtypes = []
    library.espeak_ng_SetVoiceByProperties.argtypes = [ctypes.POINTER(_Voice)]
    library.espeak_ng_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    library.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    library.espeak_SetSynthCallback.restype = None
    library.espeak_ng_Synthesize.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    library.espeak_ng_GetStatusCodeMessage.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_size_t,
    ]
    library.espeak_ng_GetStatusCodeMessage.restype = None


def _voice(language: str) -> _Voice:
    return _Voice(languages=VOICES.get(language, language).encode("ascii", "replace"))


class EspeakEngine:
    name = "espeak-ng"
    extension = ".ogg"
    mime_type = "audio/ogg"

    def __init__(self, *, words_per_minute: int = 140, espeak: Espeak | None = None) -> None:
        self.words_per_minute = words_per_minute
        self._espeak = espeak or Espeak()

    def voice_for(self, language: str) -> str:
        return f"{VOICES.get(language, language)}@{self.words_per_minute}"

    def speak(self, text: str, language: str) -> bytes:
        if not text.strip():
            raise SpeechError("no words to speak")
        sound = self._espeak.synthesize(text, language, self.words_per_minute)
        if not sound.pcm:
            raise SpeechError(f"espeak-ng made no sound for language {language!r}")
        return ogg_opus(sound.pcm, sound.rate)

    def duration(self, data: bytes) -> int | None:
        """From the last Ogg page's granule position: samples at 48 kHz."""
        last = data.rfind(b"OggS")
        if last < 0 or len(data) < last + 14:
            return None
        (granule,) = struct.unpack_from("<q", data, last + 6)
        return max(1, round(granule / OPUS_RATE)) if granule > 0 else None
