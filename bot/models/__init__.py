"""All tables, collected so that SQLModel.metadata knows every one of them."""

from bot.models.accounts import (
    ApiToken,
    AuditEntry,
    LoginAttempt,
    RecoveryCode,
    StaffAssignment,
)
from bot.models.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Confirmation,
    Outcome,
)
from bot.models.consent import ConsentEvent, Decision, PassportVersion, Purpose, Via
from bot.models.content_edits import ContentEdit
from bot.models.engagement import Alert, ConversationState, EngagementEvent
from bot.models.limits import SendLimit
from bot.models.media import MediaFile, SentMessage
from bot.models.needs import NEED_LABELS, Need, NeedCategory
from bot.models.outbox import OutboxMessage, OutboxStatus
from bot.models.people import (
    Account,
    AccountCreate,
    ChannelLink,
    Consent,
    Format,
    Invite,
    InviteKind,
    LinkAttempt,
    Person,
    PersonCreate,
    ReminderPlan,
    Role,
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
from bot.models.retention import RetentionRun
from bot.models.webchat import WebchatFile, WebchatMessage
from bot.models.webhook import SeenUpdate

__all__ = [
    "NEED_LABELS",
    "Account",
    "AccountCreate",
    "Alert",
    "ApiToken",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "AuditEntry",
    "ChannelLink",
    "CoachingModel",
    "Confirmation",
    "Consent",
    "ConsentEvent",
    "ContentEdit",
    "ConversationState",
    "Decision",
    "EngagementEvent",
    "Format",
    "Goal",
    "GoalStatus",
    "GoalStep",
    "Invite",
    "InviteKind",
    "LinkAttempt",
    "LoginAttempt",
    "MediaFile",
    "Need",
    "NeedCategory",
    "Nudge",
    "OutboxMessage",
    "OutboxStatus",
    "Outcome",
    "PassportVersion",
    "Person",
    "PersonCreate",
    "Purpose",
    "RecoveryCode",
    "ReminderPlan",
    "RetentionRun",
    "Role",
    "Schedule",
    "ScheduleKind",
    "SeenUpdate",
    "SendLimit",
    "SentMessage",
    "StaffAssignment",
    "StepStatus",
    "Via",
    "WebchatFile",
    "WebchatMessage",
]
