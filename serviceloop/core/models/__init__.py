from .audit import AuditChainHead, AuditEntry
from .base import TrackedModel
from .people import Agent, ApiToken, Department, Role, User
from .support import Notification, NumberSequence

__all__ = [
    "Agent",
    "ApiToken",
    "AuditChainHead",
    "AuditEntry",
    "Department",
    "Notification",
    "NumberSequence",
    "Role",
    "TrackedModel",
    "User",
]
