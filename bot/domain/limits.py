"""Field limits, written once: the services check them, the dashboard's forms and the API's
models are built from them, and the command line reports them (through the services)."""

from __future__ import annotations

PLACE = 200  # an appointment's place, with its street address
WITH_WHOM = 120  # who the person will see
TRAVEL_NOTE = 200  # how to get there, in words the person reads
LATITUDE = 90  # a map pin: -90..90
LONGITUDE = 180  # and -180..180
