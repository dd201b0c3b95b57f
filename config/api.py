"""The one NinjaAPI at /api/v1/: each app's routers are mounted here."""

from importlib import import_module

from ninja import NinjaAPI

from serviceloop.communications.api import router as communications_router
from serviceloop.core.api import me_router
from serviceloop.core.api import router as auth_router
from serviceloop.core.api_support import install_error_handlers
from serviceloop.core.importing.api import router as imports_router
from serviceloop.customers.api import agreements_router
from serviceloop.customers.api import router as customers_router

api = NinjaAPI(
    title="ServiceLoop API",
    version="1",
    description="Customer service per procedure SJ/QP-021 rev. B. Authenticate with "
    "POST /api/v1/auth/token, then send `Authorization: Bearer <token>`.",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/customers", customers_router)
api.add_router("/service-agreements", agreements_router)
api.add_router("/communications", communications_router)
api.add_router("/imports", imports_router)
APPS_WITH_ROUTERS = (
    "complaints",
    "warranty",
    "fieldservice",
    "earlywarning",
    "presales",
    "visits",
    "training",
    "records",
    "summaries",
)
for app in APPS_WITH_ROUTERS:
    for prefix, router in import_module(f"serviceloop.{app}.api").ROUTERS:
        api.add_router(prefix, router)
