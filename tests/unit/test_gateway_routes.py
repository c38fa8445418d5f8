"""The one address: every path a service serves reaches that service through the gateway."""

from __future__ import annotations

import fnmatch

import pytest

from shared.config import SERVICES
from shared.gateway.caddyfile import CADDYFILE, render
from shared.gateway.routes import FRONT, Route, RouteConflict, current_table, paths_of, pattern_of, route_table


def caddy_matches(pattern: str, path: str) -> bool:
    """Caddy's `path` matcher: a trailing `/*` is a prefix, otherwise `*` is one segment's glob."""
    if pattern.endswith("/*") and pattern.count("*") == 1:
        return path.startswith(pattern[:-1])
    return len(pattern.split("/")) == len(path.split("/")) and all(
        fnmatch.fnmatchcase(part, glob) for part, glob in zip(path.split("/"), pattern.split("/"))
    )


def first_owner(table: list[Route], path: str) -> str | None:
    return next((route.service for route in table if caddy_matches(route.pattern, path)), None)


def example_path(path: str) -> str:
    """A concrete path for a route: each parameter filled with a value no literal segment has."""
    return pattern_of(path).replace("*", "x-123")


def test_the_checked_in_caddyfile_is_generated_from_the_services_routers():
    assert CADDYFILE.read_text() == render(current_table()), "run `python -m shared.gateway`"


@pytest.mark.parametrize("service", SERVICES)
def test_every_path_of_a_service_reaches_that_service(service):
    table = current_table()
    for path in paths_of(service):
        owner = first_owner(table, example_path(path))
        assert owner == (FRONT if path == "/" else service), path


def test_a_literal_segment_wins_over_a_parameter_in_the_same_place():
    table = route_table(
        {
            "intake": ["/t/{tenant}/permohonan/{request_id}/batal"],
            "approval": ["/t/{tenant}/permohonan/{request_id}/{action}"],
        }
    )
    assert first_owner(table, "/t/kaltara/permohonan/r-1/batal") == "intake"
    assert first_owner(table, "/t/kaltara/permohonan/r-1/verify") == "approval"


def test_two_services_claiming_one_path_is_refused():
    with pytest.raises(RouteConflict, match=r"/api/\*/requests/\* is served by both intake and approval"):
        route_table(
            {"intake": ["/api/{tenant}/requests/{tracking_code}"], "approval": ["/api/{tenant}/requests/{request_id}"]}
        )
