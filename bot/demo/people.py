"""The demo's cast, as data: five accounts and twelve people across five boroughs.

Every name, reference and place here is made up. The accounts' addresses end in
`.example`, a name reserved so that it can never be anyone's real address, and their
passwords are for the demo only: they are printed for anyone to use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.models import AppointmentKind, Format, NeedCategory, Role

DOMAIN = "waymark.example"


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    name: str
    email: str
    password: str  # the demo's only: printed at start


MANAGER = DemoAccount(
    Role.MANAGER, "Helen Carter", f"helen.carter@{DOMAIN}", "waymark-demo-manager"
)
PRIYA = DemoAccount(Role.COACH, "Priya Shah", f"priya.shah@{DOMAIN}", "waymark-demo-coach")
DANIEL = DemoAccount(Role.COACH, "Daniel Mensah", f"daniel.mensah@{DOMAIN}", "waymark-demo-coach")
GRACE = DemoAccount(Role.STAFF, "Grace Adeyemi", f"grace.adeyemi@{DOMAIN}", "waymark-demo-staff")
ADMIN = DemoAccount(Role.ADMIN, "Alex Morgan", f"alex.morgan@{DOMAIN}", "waymark-demo-admin")
ACCOUNTS = (MANAGER, PRIYA, DANIEL, GRACE, ADMIN)


@dataclass(frozen=True)
class Rhythm:
    """Appointments that come round: every `every` days on a weekday (0 is Monday)."""

    kind: AppointmentKind
    weekday: int
    at: time
    every: int
    place: str
    with_whom: str


@dataclass(frozen=True)
class Habits:
    """How a person tends to use Waymark; the replay draws each answer from these."""

    answers: float  # the chance of answering a reminder, a check-in or a mood check
    minutes: float  # how long an answer typically takes
    turns_up: float  # the chance of coming when they did not answer the reminder
    progress: float  # the chance a check-in says the step is done
    calm: float = 0.8  # the chance a mood check-in is green (else amber)


@dataclass(frozen=True)
class Sketch:
    ref: str
    name: str
    borough: str
    coach: DemoAccount
    format: Format
    easy_read: bool
    needs: tuple[NeedCategory, ...]
    habits: Habits
    rhythms: tuple[Rhythm, ...]
    joined: int = 96  # days ago
    fewer: bool = False  # fewer reminders, chosen at onboarding
    quiet: str = "quiet_none"  # quiet hours, chosen at onboarding
    staff: bool = False  # Grace, IOM staff, manages them
    mood: str | None = None  # mood check-ins on this schedule
    phone: bool = False  # its web chat address is printed at start


def _probation(weekday: int, at: time, every: int, place: str, officer: str) -> Rhythm:
    return Rhythm(AppointmentKind.PROBATION, weekday, at, every, place, officer)


def _coaching(weekday: int, at: time, place: str, coach: DemoAccount) -> Rhythm:
    return Rhythm(AppointmentKind.COACHING, weekday, at, 14, place, coach.name.split()[0])


CAMBERWELL = "Camberwell Office, 45 Camberwell Road"
BRIXTON = "Brixton Office, 12 Acre Lane"
STRATFORD = "Stratford Office, 3 Romford Road"
CROYDON = "Croydon Office, 20 Wellesley Road"
HACKNEY = "Hackney Office, 8 Mare Street"
WALWORTH_ROOM = "Walworth Library, East Street, room 2"
BRIXTON_ROOM = "Brixton Library, Brixton Oval, room 1"
STRATFORD_ROOM = "Stratford Library, The Grove, room 3"
CROYDON_ROOM = "Croydon Library, Katharine Street, room 2"
PECKHAM_JOBS = "Jobcentre Plus, Rye Lane, Peckham"
STRATFORD_JOBS = "Jobcentre Plus, Broadway, Stratford"
BRIXTON_POLICE = "Brixton Police Station, Brixton Road"
GRACE_FIRST = GRACE.name.split()[0]

PEOPLE: tuple[Sketch, ...] = (
    Sketch(
        "IOM-1042",
        "Sam",
        "Southwark",
        PRIYA,
        Format.WORDS,
        True,
        (NeedCategory.DYSLEXIA, NeedCategory.ADHD),
        Habits(answers=0.9, minutes=6, turns_up=0.8, progress=0.45),
        (
            _probation(1, time(10, 0), 7, CAMBERWELL, GRACE_FIRST),
            _coaching(3, time(14, 0), WALWORTH_ROOM, PRIYA),
        ),
        staff=True,
        phone=True,
    ),
    Sketch(
        "IOM-1057",
        "Marcus",
        "Lambeth",
        PRIYA,
        Format.PICTURES,
        True,
        (NeedCategory.LEARNING_DISABILITY,),
        Habits(answers=0.65, minutes=35, turns_up=0.7, progress=0.3),
        (
            _probation(0, time(11, 30), 14, BRIXTON, "Ben"),
            _coaching(2, time(10, 30), BRIXTON_ROOM, PRIYA),
        ),
        phone=True,
    ),
    Sketch(
        "IOM-1078",
        "Tyrone",
        "Southwark",
        PRIYA,
        Format.PICTURES,
        True,
        (NeedCategory.ADHD, NeedCategory.DYSCALCULIA),
        Habits(answers=0.5, minutes=20, turns_up=0.6, progress=0.35, calm=0.65),
        (
            _probation(2, time(14, 0), 7, CAMBERWELL, GRACE_FIRST),
            Rhythm(AppointmentKind.JOBCENTRE, 4, time(10, 0), 14, PECKHAM_JOBS, "Mr Clarke"),
        ),
        staff=True,
        mood="fri 12:00",
    ),
    Sketch(
        "IOM-1090",
        "Leanne",
        "Lambeth",
        PRIYA,
        Format.VOICE,
        False,
        (NeedCategory.ACQUIRED_BRAIN_INJURY,),
        Habits(answers=0.75, minutes=80, turns_up=0.75, progress=0.3, calm=0.6),
        (
            _probation(3, time(10, 30), 14, BRIXTON, "Ben"),
            _coaching(1, time(13, 30), BRIXTON_ROOM, PRIYA),
        ),
        fewer=True,
        quiet="quiet_21",
        mood="thu 11:00",
    ),
    Sketch(
        "IOM-1103",
        "Connor",
        "Southwark",
        PRIYA,
        Format.PICTURES,
        False,
        (NeedCategory.AUTISM, NeedCategory.TICS),
        Habits(answers=0.85, minutes=3, turns_up=0.85, progress=0.5),
        (
            _probation(4, time(9, 30), 14, CAMBERWELL, "Jo"),
            _coaching(2, time(15, 0), WALWORTH_ROOM, PRIYA),
        ),
    ),
    Sketch(
        "IOM-1121",
        "Ricky",
        "Lambeth",
        PRIYA,
        Format.WORDS,
        False,
        (NeedCategory.OTHER,),
        Habits(answers=0.35, minutes=110, turns_up=0.65, progress=0.25),
        (
            _probation(1, time(15, 30), 14, BRIXTON, GRACE_FIRST),
            Rhythm(AppointmentKind.POLICE, 3, time(11, 0), 28, BRIXTON_POLICE, "PC Walsh"),
        ),
        joined=52,
        staff=True,
    ),
    Sketch(
        "IOM-1063",
        "Aisha",
        "Newham",
        DANIEL,
        Format.VOICE,
        True,
        (NeedCategory.DYSLEXIA,),
        Habits(answers=0.8, minutes=15, turns_up=0.8, progress=0.4, calm=0.7),
        (
            _probation(0, time(10, 0), 7, STRATFORD, GRACE_FIRST),
            _coaching(3, time(11, 0), STRATFORD_ROOM, DANIEL),
        ),
        staff=True,
        phone=True,
        mood="sat 12:30",
    ),
    Sketch(
        "IOM-1071",
        "Kwame",
        "Croydon",
        DANIEL,
        Format.WORDS,
        False,
        (NeedCategory.AUTISM,),
        Habits(answers=0.95, minutes=2, turns_up=0.9, progress=0.5),
        (
            _probation(2, time(9, 30), 14, CROYDON, "Sean"),
            _coaching(4, time(14, 30), CROYDON_ROOM, DANIEL),
        ),
    ),
    Sketch(
        "IOM-1084",
        "Imran",
        "Newham",
        DANIEL,
        Format.WORDS,
        True,
        (),
        Habits(answers=0.55, minutes=45, turns_up=0.7, progress=0.3),
        (
            _probation(1, time(14, 30), 14, STRATFORD, GRACE_FIRST),
            Rhythm(AppointmentKind.JOBCENTRE, 0, time(15, 0), 14, STRATFORD_JOBS, "Ms Okoro"),
        ),
        staff=True,
    ),
    Sketch(
        "IOM-1096",
        "Dariusz",
        "Hackney",
        DANIEL,
        Format.VOICE,
        False,
        (NeedCategory.DCD,),
        Habits(answers=0.7, minutes=25, turns_up=0.8, progress=0.4),
        (
            _probation(3, time(13, 0), 14, HACKNEY, "Nadia"),
            _coaching(1, time(10, 0), HACKNEY, DANIEL),
        ),
        quiet="quiet_22",
    ),
    Sketch(
        "IOM-1109",
        "Mo",
        "Croydon",
        DANIEL,
        Format.VOICE,
        True,
        (NeedCategory.ADHD,),
        Habits(answers=0.55, minutes=30, turns_up=0.65, progress=0.3, calm=0.7),
        (
            _probation(4, time(11, 0), 14, CROYDON, GRACE_FIRST),
            _coaching(2, time(13, 0), CROYDON_ROOM, DANIEL),
        ),
        joined=61,
        staff=True,
        mood="tue 18:30",
    ),
    Sketch(
        "IOM-1115",
        "Chantelle",
        "Newham",
        DANIEL,
        Format.PICTURES,
        True,
        (),
        Habits(answers=0.7, minutes=50, turns_up=0.75, progress=0.35),
        (
            _probation(2, time(11, 0), 14, STRATFORD, "Ayo"),
            _coaching(0, time(13, 30), STRATFORD_ROOM, DANIEL),
        ),
        quiet="quiet_22",
    ),
)
