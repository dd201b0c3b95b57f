"""HTTP API of complaints (interface.md: `complaints`, `eight-d-reports`): each (prefix, router)
in ROUTERS is mounted under /api/v1/."""

from ninja import Router

from .eightd import router as eightd_router
from .letters import templates_router
from .register import router as complaints_router

ROUTERS: list[tuple[str, Router]] = [
    ("/complaints", complaints_router),
    ("/eight-d-reports", eightd_router),
    ("/reply-templates", templates_router),
]
