"""HTTP pieces every service shares: errors that speak Indonesian, actor, correlation."""
from shared.http.errors import DomainRuleBroken, install_error_handlers
from shared.http.correlation import correlation_id_from, install_correlation

__all__ = ["DomainRuleBroken", "correlation_id_from", "install_correlation", "install_error_handlers"]
