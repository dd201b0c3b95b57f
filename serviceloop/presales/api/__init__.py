"""HTTP API of pre-sale service and orders (interface.md: `customer-requirements`,
`sample-requests`, `special-requests`, `orders`): each (prefix, router) in ROUTERS is mounted
under /api/v1/."""

from ninja import Router

from .orders import orders_router, results_router
from .presale import requirements_router, samples_router, special_router

ROUTERS: list[tuple[str, Router]] = [
    ("/customer-requirements", requirements_router),
    ("/sample-requests", samples_router),
    ("/special-requests", special_router),
    ("/orders", orders_router),
    ("/result-letters", results_router),
]
