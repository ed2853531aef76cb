"""A stand-in Telegram Bot API server for tests, served by aiohttp on loopback.

Real client libraries (python-telegram-bot, aiogram 3) are pointed at ``StandInBotAPI.url`` and
talk to it unmodified: methods live at ``<url>/bot<token>/<method>`` and file downloads at
``<url>/file/bot<token>/<file_path>``. Bodies may be JSON, urlencoded or multipart; form values
are decoded (JSON strings to objects, integer-looking strings to ints, "true"/"false" to bools)
so a recorded ``Call`` looks the same whichever way it was sent. Results and errors are shaped
like Telegram's, the bot's messages are kept per chat (edits applied), pushed updates are served
by ``getUpdates`` (long polling included) and faults (429, 403, 5xx), delays and held requests
can be injected to exercise retry logic::

    async with StandInBotAPI() as server:
        bot = telegram.Bot(server.token, base_url=f"{server.url}/bot")
        server.send_text(42, "/start")
        ...
        (call,) = await server.wait_for("sendMessage")

server.py holds the server, chats.py the chats and their messages, faults.py what a test
injects, wire.py the types and the reading of requests.
"""

from tests.support.botapi.faults import Held
from tests.support.botapi.server import StandInBotAPI
from tests.support.botapi.wire import JSON, BotAPIError, Call, ChatId, Files

__all__ = ["JSON", "BotAPIError", "Call", "ChatId", "Files", "Held", "StandInBotAPI"]
