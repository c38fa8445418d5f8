class ConcurrencyError(Exception):
    """Someone else changed the stream since it was read: reload and decide again."""

    def __init__(self, stream_id: str, expected: int, actual: int):
        self.stream_id, self.expected, self.actual = stream_id, expected, actual
        super().__init__(
            f"stream {stream_id} is at version {actual}, not the expected {expected}"
        )
