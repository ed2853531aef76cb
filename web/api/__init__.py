"""The JSON API under /api/v1: one module per resource, collected by web/api/app.py."""

from web.api.app import create_api

__all__ = ["create_api"]
