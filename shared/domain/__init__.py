"""What every service's domain model builds on; imports no I/O library."""

from shared.domain.aggregate import Aggregate
from shared.domain.errors import DomainRuleBroken

__all__ = ["Aggregate", "DomainRuleBroken"]
