class ConcurrencyError(Exception):
    """Someone else changed the stream since it was read: reload and decide again."""

    def __init__(self, stream_id: str, expected: int, actual: int | None):
        """`actual` is None when a concurrent append took the expected version first."""
        self.stream_id, self.expected, self.actual = stream_id, expected, actual
        super().__init__(
            f"stream {stream_id} is at version {actual}, not the expected {expected}"
            if actual is not None
            else f"stream {stream_id} moved on meanwhile, past the expected {expected}"
        )
