from .audit import AuditChainHead, AuditEntry
from .backup import BackupRun, BackupStatus
from .base import DetailLink, TrackedModel
from .company import CompanyProfile
from .exports import EXPORT_TRANSITIONS, ExportJob, ExportStatus
from .files import StoredFile, upload_path
from .imports import IMPORT_TRANSITIONS, ImportJob, ImportMode, ImportPhase, ImportStatus
from .people import Agent, ApiToken, Department, Role, User
from .support import Notification, NumberSequence

__all__ = [
    "Agent",
    "ApiToken",
    "AuditChainHead",
    "AuditEntry",
    "BackupRun",
    "BackupStatus",
    "CompanyProfile",
    "Department",
    "DetailLink",
    "EXPORT_TRANSITIONS",
    "ExportJob",
    "ExportStatus",
    "IMPORT_TRANSITIONS",
    "ImportJob",
    "ImportMode",
    "ImportPhase",
    "ImportStatus",
    "Notification",
    "NumberSequence",
    "Role",
    "StoredFile",
    "TrackedModel",
    "User",
    "upload_path",
]
