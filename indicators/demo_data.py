def seed_indicators(ctx) -> None:
    return None
