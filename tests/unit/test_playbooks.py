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


REAL_PLAYS = Path(__file__).resolve().parents[2] / "Provisioners" / "plays"
STOP = """
- name: Stop when deprovisioning
  ansible.builtin.assert:
    that: not deprovisioning
"""
RESCUE_END = """
- name: Deprovisioned or rolled back
  assert:
    that: deprovisioning | default(false) | bool
"""


def write_play(directory: Path, tasks: str, **files: str) -> Path:
    for name, text in files.items():
        (directory / name).write_text(text)
    play = directory / "play_test.yaml"
    play.write_text(f"- name: test\n  hosts: localhost\n  tasks:\n{tasks}")
    return play


def indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.strip("\n").splitlines())


def test_a_deprovision_of_the_real_sim_play_counts_its_teardown_path():
    # task_load_config (2) + the stop (1), then the rescue's 11 tasks + task_retire_ocs_account (2) +
    # task_rescue_end (1); the recorded events of a real run are checked against task_count in
    # tests/integration/test_provision_psim.py
    assert count_tasks(REAL_PLAYS / "play_psim_only.yaml", "deprovision") == 17
    assert count_tasks(REAL_PLAYS / "play_psim_only.yaml") == count_tasks(REAL_PLAYS / "play_psim_only.yaml",
                                                                          "provision") == 17


def test_a_deprovision_stops_at_the_stop_inside_an_imported_file_then_counts_rescue_and_always(tmp_path):
    play = write_play(tmp_path, """
    - block:
        - name: before
          debug: msg=1
        - ansible.builtin.import_tasks: task_stop.yaml
        - name: skipped by a deprovision
          debug: msg=2
      rescue:
        - name: teardown
          debug: msg=3
        - import_tasks: task_end.yaml
      always:
        - name: always
          debug: msg=4
    - name: after the block
      debug: msg=5
""", **{"task_stop.yaml": STOP, "task_end.yaml": RESCUE_END})
    assert count_tasks(play, "deprovision") == 6  # before, stop, teardown, end, always, after
    assert count_tasks(play, "provision") == 5  # before, stop (passes), skipped-by-deprovision, always, after


def test_a_block_without_a_stop_is_counted_as_for_provision(tmp_path):
    play = write_play(tmp_path, """
    - block:
        - name: one
          debug: msg=1
        - name: two (an assert not about deprovisioning)
          assert: {that: "x is defined"}
      rescue:
        - name: roll back
          debug: msg=3
""")
    assert count_tasks(play, "deprovision") == count_tasks(play, "provision") == 2


def test_a_stop_in_a_nested_block_without_rescue_is_rescued_by_the_outer_block(tmp_path):
    play = write_play(tmp_path, f"""
    - block:
        - name: outer first
          debug: msg=1
        - block:
{indent(STOP, 12)}
            - name: inner after the stop
              debug: msg=2
          always:
            - name: inner always
              debug: msg=3
        - name: outer after the inner block
          debug: msg=4
      rescue:
        - name: outer teardown
          debug: msg=5
""")
    # outer first, stop, inner always, outer teardown
    assert count_tasks(play, "deprovision") == 4
    assert count_tasks(play, "provision") == 5


def test_a_nested_block_with_its_own_rescue_handles_the_stop_and_the_outer_block_goes_on(tmp_path):
    play = write_play(tmp_path, f"""
    - block:
        - block:
{indent(STOP, 12)}
          rescue:
            - name: inner teardown
              debug: msg=1
        - name: outer goes on
          debug: msg=2
      rescue:
        - name: outer teardown not reached
          debug: msg=3
""")
    assert count_tasks(play, "deprovision") == 3  # stop, inner teardown, outer goes on
