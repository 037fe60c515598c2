"""The visitor-facing kiosk: guestbook registration and the exit poll (issue 3)."""


def run_kiosk(settings, mode: str | None = None) -> int:
    from ui.kiosk.app import run

    return run(settings, mode)
