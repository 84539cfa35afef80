"""Demo attendance, calendars and course marks (filled in by indicators/demo_data.py)."""


def seed(ctx) -> None:
    from indicators.demo_data import seed_indicators

    seed_indicators(ctx)
