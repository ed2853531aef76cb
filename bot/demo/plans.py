"""What each demo person works on between appointments, as data: a goal (GROW or OSCAR)
with its small steps and check-in times, the coach's nudges, and the few words the coach
sends as the demo starts (so each phone has something new in it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from bot.models import CoachingModel


@dataclass(frozen=True)
class GoalSketch:
    title: str
    model: CoachingModel
    scaffold: dict[str, str]
    steps: tuple[str, ...]
    checkins: str  # a schedule, like "mon,thu 18:00"
    weeks: int | None = None  # the steps' due dates span this; None: up to two weeks ahead


@dataclass(frozen=True)
class NudgeSketch:
    text: str
    every: str | None = None  # a schedule; None: once, `day` days from today at `at`
    day: int = 0
    at: time = time(9, 0)


@dataclass(frozen=True)
class Plan:
    goal: GoalSketch
    hello: str  # the coach's words that arrive as the demo starts
    nudges: tuple[NudgeSketch, ...] = field(default=())


GROW = CoachingModel.GROW
OSCAR = CoachingModel.OSCAR

PLANS: dict[str, Plan] = {
    "IOM-1042": Plan(
        GoalSketch(
            "Get to every appointment on time",
            GROW,
            {
                "goal": "Be on time for every appointment.",
                "reality": "The buses confuse me. I was late twice last month.",
                "options": "Alarms. Bus times in my phone. Leave early.",
                "way_forward": "Try the alarm first, then the bus times.",
            },
            (
                "Set an alarm the night before",
                "Put the bus times in my phone",
                "Leave 20 minutes early",
                "Ask Priya how it went",
            ),
            "thu 18:00",
        ),
        "Well done this week, Sam. I am here if you need me.",
        (NudgeSketch("Pack your bag for tomorrow tonight.", every="tue 19:00"),),
    ),
    "IOM-1057": Plan(
        GoalSketch(
            "Open a bank account",
            OSCAR,
            {
                "outcome": "A bank account in my own name.",
                "situation": "I have no ID with my address on it.",
                "choices": "Birth certificate and a letter from probation.",
                "actions": "Find the certificate first.",
                "review": "Talk about it at coaching.",
            },
            (
                "Find my birth certificate",
                "Ask Priya for a letter",
                "Book a time at the bank",
            ),
            "wed 17:00",
        ),
        "Hello Marcus. Bring your birth certificate next time, if you found it.",
    ),
    "IOM-1078": Plan(
        GoalSketch(
            "Find work",
            GROW,
            {
                "goal": "A job with regular hours.",
                "reality": "I had a warehouse job before. My CV is old.",
                "options": "Agencies, the Jobcentre, my cousin's firm.",
                "way_forward": "CV first, then two agencies.",
            },
            (
                "Write my CV with Priya",
                "Sign up with one agency",
                "Sign up with a second agency",
                "Go to one interview",
            ),
            "mon 17:30",
        ),
        "Good luck at the Jobcentre this week, Tyrone.",
        (NudgeSketch("Look at two job adverts today.", every="wed 10:00"),),
    ),
    "IOM-1090": Plan(
        GoalSketch(
            "Keep my flat",
            OSCAR,
            {
                "outcome": "No rent arrears by the spring.",
                "situation": "Letters pile up and I forget them.",
                "choices": "Open letters on Mondays. Ask the housing officer for help.",
                "actions": "One day a week for letters.",
                "review": "Every two weeks with Priya.",
            },
            (
                "Open the letters every Monday",
                "Call the housing officer",
                "Set up the rent to go each month",
            ),
            "mon 12:00",
        ),
        "Hello Leanne. Take it one day at a time. You are doing well.",
        (NudgeSketch("It is Monday. Time to open your letters.", every="mon 10:00"),),
    ),
    "IOM-1103": Plan(
        GoalSketch(
            "Go to the gym twice a week",
            GROW,
            {
                "goal": "Feel calmer and sleep better.",
                "reality": "I go once a month. Busy times are too loud.",
                "options": "Quiet hours at the leisure centre.",
                "way_forward": "Tuesday and Saturday mornings.",
            },
            (
                "Get a gym card",
                "Go on a quiet morning",
                "Go twice in one week",
                "Keep it up for a month",
            ),
            "sat 19:00",
        ),
        "Hello Connor. The gym is quiet at 8 on Sunday. Enjoy it.",
    ),
    "IOM-1121": Plan(
        GoalSketch(
            "Plan my Friday evenings",
            GROW,
            {
                "goal": "Stay away from trouble on Fridays.",
                "reality": "Fridays are when things go wrong.",
                "options": "Football, my sister's, the cinema.",
                "way_forward": "Football on Fridays at 7.",
            },
            (
                "Call the football club",
                "Go to one Friday session",
                "Go three Fridays in a row",
            ),
            "fri 16:00",
        ),
        "Hello Ricky. Football is at 7 on Friday. Have a good one.",
        (NudgeSketch("Football tonight at 7.", every="fri 17:00"),),
    ),
    "IOM-1063": Plan(
        GoalSketch(
            "Start a college course",
            GROW,
            {
                "goal": "A childcare course in September.",
                "reality": "Forms are hard for me to read.",
                "options": "Newham College. Help with the forms.",
                "way_forward": "Open day first.",
            },
            (
                "Look at courses with Daniel",
                "Go to the open day",
                "Fill in the form with help",
            ),
            "wed 18:00",
        ),
        "Hello Aisha. I found the form for the college course. We can do it together.",
        (NudgeSketch("The college open day is on Saturday.", day=3, at=time(10, 0)),),
    ),
    "IOM-1071": Plan(
        GoalSketch(
            "Learn to cook three meals",
            OSCAR,
            {
                "outcome": "Cook three meals I like.",
                "situation": "I buy takeaways most days.",
                "choices": "Recipes with pictures. A cooking class.",
                "actions": "One new meal every two weeks.",
                "review": "At coaching on Fridays.",
            },
            (
                "Choose three recipes",
                "Cook pasta",
                "Cook a curry",
                "Cook a Sunday roast",
            ),
            "sun 16:00",
            weeks=9,  # done already
        ),
        "Hello Kwame. How was the curry? Tell me on Friday.",
    ),
    "IOM-1084": Plan(
        GoalSketch(
            "Register with a GP",
            GROW,
            {
                "goal": "Have a doctor near home.",
                "reality": "I moved and never registered.",
                "options": "The surgery on my road. Register online or in person.",
                "way_forward": "In person, with my letter.",
            },
            (
                "Find the nearest surgery",
                "Fill in the form",
                "Book a check-up",
            ),
            "thu 17:00",
        ),
        "Hello Imran. Good luck at the interview. I am proud of you.",
        (NudgeSketch("Take your letter to the surgery today.", day=-20, at=time(9, 30)),),
    ),
    "IOM-1096": Plan(
        GoalSketch(
            "Get my provisional driving licence",
            OSCAR,
            {
                "outcome": "A provisional licence.",
                "situation": "I need photo ID and the fee.",
                "choices": "Save a little each week. Ask for help with the form.",
                "actions": "Photos first.",
                "review": "Every two weeks.",
            },
            (
                "Get passport photos",
                "Save the fee",
                "Send the form",
            ),
            "sat 11:00",
        ),
        "Hello Dariusz. Remember your photos for the form.",
    ),
    "IOM-1109": Plan(
        GoalSketch(
            "Spend less each week",
            GROW,
            {
                "goal": "Money left at the end of the week.",
                "reality": "I run out by Thursday.",
                "options": "Write down spending. A cash budget.",
                "way_forward": "One week of writing it down first.",
            },
            (
                "Write down what I spend for a week",
                "Plan a weekly budget",
                "Keep to it for two weeks",
            ),
            "sun 18:00",
        ),
        "Hello Mo. Remember to write down what you spend today.",
        (NudgeSketch("Write down what you spent today.", every="thu 20:00"),),
    ),
    "IOM-1115": Plan(
        GoalSketch(
            "See my children more",
            OSCAR,
            {
                "outcome": "See my children every weekend.",
                "situation": "I see them once a month at the family centre.",
                "choices": "Ask for more visits. A parenting course.",
                "actions": "Call the family centre.",
                "review": "At coaching.",
            },
            (
                "Call the family centre",
                "Start the parenting course",
                "Ask for weekend visits",
            ),
            "mon 18:30",
        ),
        "Hello Chantelle. The family centre called back. Good news.",
    ),
}
