"""Google's voice through gTTS: the clearest voice, but it needs the network and sends the
words (names and places included) to Google, so it is off unless SPEECH_GTTS is set.

gTTS builds the requests (it splits long text, applies its pre-processors and packs each
part as a batchexecute RPC); this module sends them to SPEECH_GTTS_URL and reads the
audio out of the answers. We send them ourselves, with gTTS's own headers and bodies,
because gTTS's `stream()` turns TLS certificate checks off (verify=False) and always goes
to https://translate.google.<tld>; here certificates are checked, and tests point the URL
at a local server that answers like Google.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.media.speech import SpeechError

if TYPE_CHECKING:
    import requests

BATCHEXECUTE = "/_/TranslateWebserverUi/data/batchexecute"
# How gTTS finds the audio in an answer line (gtts/tts.py, gTTS.stream).
_AUDIO = re.compile(r'jQ1olc","\[\\"(.*)\\"]')
MP3_BYTES_PER_SECOND = 4_000  # Google's voice is 32 kbit/s MP3


class GttsEngine:
    name = "gtts"
    extension = ".mp3"
    mime_type = "audio/mpeg"

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        # gTTS logs its arguments (the words) at DEBUG; our logs never carry message text.
        logging.getLogger("gtts").setLevel(logging.WARNING)

    def voice_for(self, language: str) -> str:
        """Google's accent follows the host (translate.google.co.uk speaks British)."""
        return urlsplit(self.url).hostname or self.url

    def speak(self, text: str, language: str) -> bytes:
        # Here, not above: gTTS and requests are loaded only when a voice note is made.
        import requests
        from gtts import gTTS
        from gtts.lang import tts_langs

        if language not in tts_langs():
            raise SpeechError(f"gTTS has no voice for language {language!r}")
        try:
            bodies = gTTS(text, lang=language, lang_check=False).get_bodies()
        except AssertionError:  # gTTS's way of saying "nothing to speak"
            raise SpeechError("no words to speak") from None
        audio = bytearray()
        with requests.Session() as session:
            for body in bodies:
                audio += self._part(session, str(body))
        return bytes(audio)

    def _part(self, session: requests.Session, body: str) -> bytes:
        import requests
        from gtts import gTTS

        try:
            response = session.post(
                self.url + BATCHEXECUTE,
                data=body,
                headers=gTTS.GOOGLE_TTS_HEADERS,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise SpeechError(f"gTTS cannot reach {self.url}: {type(error).__name__}") from None
        if response.status_code != 200:
            raise SpeechError(f"gTTS got HTTP {response.status_code}")
        for line in response.text.splitlines():
            if gTTS.GOOGLE_TTS_RPC in line:
                found = _AUDIO.search(line)
                if found is None:
                    break
                try:
                    return base64.b64decode(found.group(1), validate=True)
                except binascii.Error:
                    break
        raise SpeechError("gTTS got an answer with no audio in it")

    def duration(self, data: bytes) -> int | None:
        return max(1, round(len(data) / MP3_BYTES_PER_SECOND))
