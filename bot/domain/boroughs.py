"""The 32 London boroughs and the City of London: where IOM works."""

from __future__ import annotations

BOROUGHS: tuple[str, ...] = (
    "Barking and Dagenham",
    "Barnet",
    "Bexley",
    "Brent",
    "Bromley",
    "Camden",
    "City of London",
    "Croydon",
    "Ealing",
    "Enfield",
    "Greenwich",
    "Hackney",
    "Hammersmith and Fulham",
    "Haringey",
    "Harrow",
    "Havering",
    "Hillingdon",
    "Hounslow",
    "Islington",
    "Kensington and Chelsea",
    "Kingston upon Thames",
    "Lambeth",
    "Lewisham",
    "Merton",
    "Newham",
    "Redbridge",
    "Richmond upon Thames",
    "Southwark",
    "Sutton",
    "Tower Hamlets",
    "Waltham Forest",
    "Wandsworth",
    "Westminster",
)


def _fold(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").replace("-", " ").split())


_BY_FOLDED = {_fold(name): name for name in BOROUGHS}


def canonical_borough(name: str) -> str:
    """The borough's proper name, accepting any case, '&' for 'and' and hyphens."""
    found = _BY_FOLDED.get(_fold(name))
    if found is None:
        raise ValueError(f"{name!r} is not a London borough (or the City of London)")
    return found
