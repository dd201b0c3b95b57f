"""HTTP API of field service (interface.md conventions): each (prefix, router) in ROUTERS is
mounted under /api/v1/."""

from ninja import Router

from .assignments import router as assignments_router
from .escalations import router as escalations_router
from .feedback import feedback_router, infoforms_router
from .parts import (
    balances_router,
    movements_router,
    parts_router,
    requests_router,
    tags_router,
    warehouse_router,
)
from .records import router as records_router
from .returns import router as returns_router

ROUTERS: list[tuple[str, Router]] = [
    ("/resident-assignments", assignments_router),
    ("/escalations", escalations_router),
    ("/service-records", records_router),
    ("/parts", parts_router),
    ("/parts-requests", requests_router),
    ("/warehouse-queue", warehouse_router),
    ("/part-balances", balances_router),
    ("/part-movements", movements_router),
    ("/nonconforming-tags", tags_router),
    ("/return-forms", returns_router),
    ("/weekly-feedback", feedback_router),
    ("/information-feedback-forms", infoforms_router),
]
