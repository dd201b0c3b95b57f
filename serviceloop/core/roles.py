"""Roles of procedure SJ/QP-021 (see requirements.md, "Actors").

Role codes are fixed: permissions (core/permissions.py) refer to them. Their display names
live in the Role table so that a company can rename them; departments are free data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    SALES = "sales", _("Sales")
    QUALITY = "quality", _("Quality Management")
    PRODUCTION_QUALITY = "production_quality", _("Production Quality")
    PRODUCTION = "production", _("Production")
    TECHNICAL = "technical", _("Technical")
    RND = "rnd", _("Planning & R&D")
    PURCHASING = "purchasing", _("Purchasing & Supply")
    WAREHOUSE = "warehouse", _("Finished-goods warehouse")
    SERVICE_ENGINEER = "service_engineer", _("Service engineer")
    AGENT = "agent", _("Agent")
    DEPT_HEAD = "dept_head", _("Department head")
    SALES_LEADER = "sales_leader", _("Sales leadership")
    COMPANY_LEADER = "company_leader", _("Company leadership")
    MGMT_REP = "mgmt_rep", _("Management Representative")
    GENERAL_MANAGER = "general_manager", _("General Manager")
    ADMIN = "admin", _("Administrator")
