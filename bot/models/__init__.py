"""All tables, collected so that SQLModel.metadata knows every one of them."""

from bot.models.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Confirmation,
    Outcome,
)
from bot.models.engagement import Alert, ConversationState, EngagementEvent
from bot.models.media import MediaFile, SentMessage
from bot.models.outbox import OutboxMessage, OutboxStatus
from bot.models.people import (
    ChannelLink,
    Coach,
    CoachCreate,
    Consent,
    Format,
    Invite,
    LinkAttempt,
    Person,
    PersonCreate,
    ReminderPlan,
)
from bot.models.plans import (
    CoachingModel,
    Goal,
    GoalStatus,
    GoalStep,
    Nudge,
    Schedule,
    ScheduleKind,
    StepStatus,
)
from bot.models.webhook import SeenUpdate

__all__ = [
    "Alert",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "ChannelLink",
    "Coach",
    "CoachCreate",
    "CoachingModel",
    "Confirmation",
    "Consent",
    "ConversationState",
    "EngagementEvent",
    "Format",
    "Goal",
    "GoalStatus",
    "GoalStep",
    "Invite",
    "LinkAttempt",
    "MediaFile",
    "Nudge",
    "OutboxMessage",
    "OutboxStatus",
    "Outcome",
    "Person",
    "PersonCreate",
    "ReminderPlan",
    "Schedule",
    "ScheduleKind",
    "SeenUpdate",
    "SentMessage",
    "StepStatus",
]
