"""Which service answers which path, read from the services' routers.

A path parameter becomes Caddy's `*` (one segment). Where two patterns can match one path,
the more specific one (a literal where the other has `*`) comes first. Paths every service
serves alike (sign-in, static files, the index of the API documents) go to intake; each
service's own documents and health are under `/layanan/<service>/`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any, Iterable

from shared.config import SERVICES

ALIKE_IN_EVERY_SERVICE = ("/login", "/logout", "/auth/callback", "/auth/session", "/static/*", "/dokumentasi")
FRONT = "intake"
"""Serves the start page and what every service serves alike."""
SERVICE_PREFIX = "/layanan"
"""`/layanan/<service>/docs`, `/openapi.json`, `/readyz`: one service's own, prefix stripped."""
_PARAMETER = re.compile(r"\{[^}]+\}")


class RouteConflict(Exception):
    pass


@dataclass(frozen=True, order=True)
class Route:
    pattern: str
    service: str

    @property
    def specificity(self) -> tuple[Any, ...]:
        """Literal segments before `*` ones, position by position; longer paths first on a tie."""
        segments = self.pattern.strip("/").split("/")
        return tuple("*" in segment for segment in segments), -len(segments)


def pattern_of(path: str) -> str:
    return _PARAMETER.sub("*", path)


def paths_of(service: str) -> set[str]:
    """The paths of the service's own routers (not what `service_app` adds to every service)."""
    spec = importlib.import_module(f"{service}.bootstrap").SPEC
    return {route.path for router in spec.routers for route in router.routes}


def route_table(paths_by_service: dict[str, Iterable[str]]) -> list[Route]:
    """Every pattern once, most specific first; a pattern claimed by two services is a conflict."""
    owners: dict[str, str] = {pattern: FRONT for pattern in ALIKE_IN_EVERY_SERVICE}
    for service, paths in paths_by_service.items():
        for pattern in sorted({pattern_of(path) for path in paths}):
            owner = owners.setdefault(pattern, service)
            if owner != service and pattern != "/":
                raise RouteConflict(f"{pattern} is served by both {owner} and {service}")
    owners["/"] = FRONT
    return sorted(
        (Route(pattern, service) for pattern, service in owners.items()),
        key=lambda route: (route.specificity, route.pattern),
    )


def current_table() -> list[Route]:
    return route_table({service: paths_of(service) for service in SERVICES})
