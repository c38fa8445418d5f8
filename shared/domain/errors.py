class DomainRuleBroken(Exception):
    """A business rule refused the change; `field` and `message` (Indonesian) reach the user."""

    def __init__(self, field: str, message: str, status: int = 422):
        self.field, self.message, self.status = field, message, status
        super().__init__(f"{field}: {message}")
