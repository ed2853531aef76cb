"""Links that help a person get to a place: London's own journey planner (TfL) and a map
(OpenStreetMap). Pure: the links are made from the place's words and, when the coach gave
them, its coordinates; nothing is looked up."""

from __future__ import annotations

from urllib.parse import urlencode

JOURNEY_PLANNER = "https://tfl.gov.uk/plan-a-journey/"
MAP = "https://www.openstreetmap.org/"


def journey_planner_url(place: str) -> str:
    """TfL's Journey Planner with the place filled in as where they are going."""
    return f"{JOURNEY_PLANNER}?{urlencode({'to': place})}"


def map_url(place: str, latitude: float | None = None, longitude: float | None = None) -> str:
    """OpenStreetMap at the place: a pin on its coordinates, else a search for its words."""
    if latitude is None or longitude is None:
        return f"{MAP}search?{urlencode({'query': place})}"
    lat, lon = f"{latitude:.5f}", f"{longitude:.5f}"
    return f"{MAP}?{urlencode({'mlat': lat, 'mlon': lon})}#map=17/{lat}/{lon}"
