"""The web app (FastAPI): the Telegram webhook and /healthz. Built by web.app.create_app."""
