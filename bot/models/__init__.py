"""All tables, collected so that SQLModel.metadata knows every one of them."""

from bot.models.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Confirmation,
    Outcome,
)
from bot.models.engagement import Alert, ConversationState, EngagementEvent
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

__all__ = [
    "Alert",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "ChannelLink",
    "Coach",
    "CoachCreate",
    "Confirmation",
    "Consent",
    "ConversationState",
    "EngagementEvent",
    "Format",
    "Invite",
    "LinkAttempt",
    "OutboxMessage",
    "OutboxStatus",
    "Outcome",
    "Person",
    "PersonCreate",
    "ReminderPlan",
]
