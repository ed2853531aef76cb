"""Errors that a person at the command line, a form or the API can act on."""


class WaymarkError(Exception):
    """Bad input or a missing thing, said in words a coach understands."""


class NotFound(WaymarkError):
    pass


class Invalid(WaymarkError):
    pass


class Duplicate(WaymarkError):
    pass
