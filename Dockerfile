# Waymark in a container. It follows the README's install steps: uv from PyPI with pip,
# `uv sync --frozen` from the committed uv.lock, then the `waymark` command.
#
#   docker build -t waymark .
#   docker run --rm --env-file .env waymark serve
#
# docker-compose.yml runs it beside PostgreSQL.

# --- builder: resolve nothing, install exactly what uv.lock says -------------------------
FROM python:3.11-slim-bookworm AS builder

# Same uv as the developers' machines; bump together with uv.lock's tooling.
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

# Use the image's Python (never download one), copy files out of uv's cache instead of
# hard-linking (the cache is not in the final image) and compile bytecode once, here.
ENV UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# Then the project itself. It is installed editable (uv's default) on purpose: the code
# finds content/ and migrations/ next to bot/, so /app is the tree it runs from.
COPY README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY web ./web
COPY content ./content
COPY migrations ./migrations
RUN uv sync --frozen --no-dev

# --- runtime: the virtualenv and the project, no build tools, not root -------------------
FROM python:3.11-slim-bookworm AS runtime

# Voice notes and picture cards need nothing from Debian: espeak-ng and Opus come in the
# locked wheels (espeakng-loader, av) and the cards' font is in content/fonts.

# A fixed uid, so a volume's ownership means the same thing on every host.
RUN groupadd --system --gid 10001 waymark \
    && useradd --system --no-log-init --uid 10001 --gid waymark \
        --home-dir /app --shell /usr/sbin/nologin waymark

# WEB_HOST: in a container the web app (webhook, /healthz) listens on every interface;
# which of them the world reaches is up to the published ports.
ENV PATH="/app/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    WEB_HOST=0.0.0.0

WORKDIR /app

# Code stays owned by root (read-only to the bot); only var/ (the SQLite default, files
# the bot writes) belongs to the waymark user.
COPY --from=builder /app /app
RUN mkdir -p /app/var && chown waymark:waymark /app/var

# The waymark user, by number: a runtime can then check it is not root without a passwd file.
USER 10001:10001

# The web app: POST /telegram/webhook (with TELEGRAM_WEBHOOK_URL) and GET /healthz, which
# is 503 while the database is down. The probe uses the image's Python: no curl needed.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('WEB_PORT', '8080') + '/healthz', timeout=4)"]
ENTRYPOINT ["waymark"]
CMD ["serve"]
