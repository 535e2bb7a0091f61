"""Communications: no HTTP endpoints yet; registering chooses the mailer (and warns when it is the outbox)."""

from __future__ import annotations

from flask import Flask

from omnicrm.communications import service  # noqa: F401  (registers the email.send job handler)
from omnicrm.communications.mailer import mailer_for


def register(app: Flask) -> None:
    state = app.extensions["omnicrm"]
    state.services.setdefault("mailer", mailer_for(state.settings.mailjet))
