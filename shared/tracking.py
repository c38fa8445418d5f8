import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    """Kode lacak: 8 characters without look-alikes (no I/1, O/0), easy to read out by phone."""
    return "".join(secrets.choice(ALPHABET) for _ in range(8))
