"""HTTP pieces every service shares: errors that speak Indonesian, actor, correlation."""

from shared.domain import DomainRuleBroken
from shared.http.errors import field_errors, install_error_handlers
from shared.http.clock import now_of
from shared.http.correlation import correlation_id_from, install_correlation

__all__ = [
    "DomainRuleBroken",
    "field_errors",
    "correlation_id_from",
    "install_correlation",
    "install_error_handlers",
    "now_of",
]
