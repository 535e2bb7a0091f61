"""What a provision_event keeps of a task's result: secrets hidden wherever they appear, size bounded."""

import json

from omnicrm.provisioning.runner import RESULT_LIMIT, trimmed_result

KI = "465B5CE8B199B49FAA5F0A2EE238A6BC"


def test_secret_keys_their_copies_headers_and_the_job_token_are_hidden():
    result = {"json": {"ki": KI, "itemtext3": KI, "imsi": "001010000000001"},
              "invocation": {"module_args": {"headers": {"Authorization": "Bearer pjt_abc", "X-API-KEY": "k"},
                                             "url": "http://crm/x?token=pjt_abc"}}}
    stored = trimmed_result(result, secrets=("pjt_abc",))
    assert KI not in stored and "pjt_abc" not in stored
    parsed = json.loads(stored)
    assert parsed["json"]["imsi"] == "001010000000001" and parsed["json"]["itemtext3"] == "***"
    assert parsed["invocation"]["module_args"]["headers"] == {"Authorization": "***", "X-API-KEY": "***"}


def test_long_results_are_trimmed():
    stored = trimmed_result({"msg": "x" * (RESULT_LIMIT * 2)})
    assert len(stored) <= RESULT_LIMIT and stored.endswith("[trimmed]")
    assert json.loads(trimmed_result({"msg": "short"})) == {"msg": "short"}
