"""Sign-in codes as values: how one is made, typed back and recognised. Pure functions.

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B),
printed as two groups of four ("KXDM-7RPA") so a young student can copy it from a card.
25 characters to the 8th power is about 1.5 * 10^11 codes; with wrong tries limited per
address (ownership/ratelimits.py) guessing a live one is hopeless. The database keeps the
SHA-256 of the normalized code only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 8

# How long printed codes work, as the teacher chooses it: (hours, label). One school day is
# the default: a sheet printed in the morning is dead by the next day.
LIFETIMES: list[tuple[int, str]] = [
    (1, "1 hour (this lesson)"),
    (8, "8 hours (this school day)"),
    (24, "1 day"),
    (24 * 7, "1 week"),
]
DEFAULT_LIFETIME_HOURS = 24
MAX_LIFETIME_HOURS = 24 * 7


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """What the student typed, as the code it means: case, spaces and dashes do not matter."""
    text = (typed or "").upper()
    for gap in (" ", "-", "\u2010", "\u2011", "\u2013", "\t"):
        text = text.replace(gap, "")
    return text[:32]


def looks_like_a_code(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def digest(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def printed(code: str) -> str:
    """The code as printed on the card: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def expiry(now: dt.datetime, hours: int) -> dt.datetime:
    if not 1 <= hours <= MAX_LIFETIME_HOURS:
        raise ValueError(f"A code lives 1 to {MAX_LIFETIME_HOURS} hours, not {hours}.")
    return now + dt.timedelta(hours=hours)
