import logging

from omnicrm.core.logs import JsonFormatter, SecretScrubber


def test_secrets_are_scrubbed_from_messages_and_extras():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "connecting with %s", ("hunter2-secret",), None)
    record.detail = "token=hunter2-secret"
    SecretScrubber(["hunter2-secret"]).filter(record)
    line = JsonFormatter().format(record)
    assert "hunter2-secret" not in line
    assert "connecting with ***" in line and "token=***" in line
