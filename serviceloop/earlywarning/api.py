"""HTTP API of this app: each (prefix, router) in ROUTERS is mounted under /api/v1/."""

from ninja import Router

ROUTERS: list[tuple[str, Router]] = []
