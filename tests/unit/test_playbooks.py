from pathlib import Path

import pytest

from omnicrm.core.errors import ValidationFailed
from omnicrm.provisioning.playbooks import count_tasks, describe, merge_vars, play_path, redact

PLAY = """
- name: OmniCore Service Provisioning 2024
  hosts: localhost
  gather_facts: no
  tasks:
    - name: Load config
      ansible.builtin.include_vars:
        file: "../../crm_config.yaml"
        name: crm_config
    - block:
        - name: Get product
          uri: {url: "http://x"}
        - include_tasks: task_notify.yaml
        - name: Dynamic include is not followed
          include_tasks: "{{ which }}.yaml"
      rescue:
        - name: Roll back
          debug: msg=x
      always:
        - name: Always runs
          debug: msg=y
"""
NOTIFY = """
- name: Reload cache
  uri: {url: "http://x"}
- name: Nested static import
  import_tasks: task_more.yaml
"""
MORE = "- name: one\n  debug: msg=1\n- name: two\n  debug: msg=2\n"


@pytest.fixture
def plays(tmp_path: Path) -> Path:
    (tmp_path / "play_psim_only.yaml").write_text(PLAY)
    (tmp_path / "task_notify.yaml").write_text(NOTIFY)
    (tmp_path / "task_more.yaml").write_text(MORE)
    return tmp_path


def test_play_path_accepts_names_with_or_without_extension(plays):
    assert play_path(plays, "play_psim_only").name == "play_psim_only.yaml"
    assert play_path(plays, "play_psim_only.yaml").name == "play_psim_only.yaml"


@pytest.mark.parametrize("name", ["play_missing", "../etc/passwd", "", "a b"])
def test_play_path_refuses_missing_or_unsafe_names(plays, name):
    with pytest.raises(ValidationFailed) as caught:
        play_path(plays, name)
    assert caught.value.errors[0]["field"] == "provisioning_play"


def test_description_is_the_play_name(plays):
    assert describe(plays / "play_psim_only.yaml") == "OmniCore Service Provisioning 2024"


def test_task_count_follows_includes_and_skips_rescue(plays):
    # include_vars, Get product, include_tasks (+ Reload cache + one + two), dynamic include, Always runs
    assert count_tasks(plays / "play_psim_only.yaml") == 8


def test_merge_precedence_product_then_request_then_system():
    merged = merge_vars('{"monthly_cost": 50, "data_gb": 100}', {"monthly_cost": 45, "customer_id": 9},
                       {"customer_id": 1, "access_token": "t"})
    assert merged == {"monthly_cost": 45, "data_gb": 100, "customer_id": 1, "access_token": "t"}


def test_redaction_hides_secrets_at_any_depth():
    cleaned = redact({"access_token": "eyJ", "ki": "00ff", "opc": "11ee", "imsi": "001",
                      "nested": [{"password": "p", "name": "n"}], "refresh_token": None})
    assert cleaned == {"access_token": "***", "ki": "***", "opc": "***", "imsi": "001",
                       "nested": [{"password": "***", "name": "n"}], "refresh_token": None}
