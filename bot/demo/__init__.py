"""`waymark demo`: a believable Waymark to try, made by replaying three months of it."""

from bot.demo.people import ACCOUNTS, DemoAccount
from bot.demo.seed import Demo, Found, Phone, look, prepare

__all__ = ["ACCOUNTS", "Demo", "DemoAccount", "Found", "Phone", "look", "prepare"]
