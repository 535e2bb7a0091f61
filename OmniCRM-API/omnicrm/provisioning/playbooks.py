"""Reading playbooks without running them: where they are, what they are called, how many tasks they run,
and the variables a job hands them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from omnicrm.core.errors import field_error

PLAY_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
INCLUDE_KEYS = ("include_tasks", "ansible.builtin.include_tasks", "import_tasks", "ansible.builtin.import_tasks")
ASSERT_KEYS = ("assert", "ansible.builtin.assert")
REFUSES_DEPROVISION = re.compile(r"(\bnot\b|!=).*deprovision|deprovision.*(!=|\bis\s+not\b|==\s*false)",
                                 re.IGNORECASE)
SECRET_VAR = re.compile(r"(token|password|secret|api_key|apikey|\bki\b|^ki$|^opc$|private)", re.IGNORECASE)
REDACTED = "***"


def play_path(plays_directory: Path, play: str) -> Path:
    """The file of a play name (with or without .yaml/.yml); 422 naming `provisioning_play` when absent."""
    name = play.strip()
    if not name or not PLAY_NAME.match(name) or name.startswith("."):
        raise field_error("provisioning_play", f"'{play}' is not a valid playbook name")
    stem = re.sub(r"\.ya?ml$", "", name)
    for candidate in (plays_directory / f"{stem}.yaml", plays_directory / f"{stem}.yml"):
        if candidate.is_file():
            return candidate
    raise field_error("provisioning_play", f"playbook '{stem}.yaml' does not exist in {plays_directory.name}/",
                      code="playbook_not_found")


def available_plays(plays_directory: Path) -> list[str]:
    names = {p.stem for p in plays_directory.glob("play_*.y*ml")}
    return sorted(names)


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text()) or []
    except yaml.YAMLError as exc:
        raise field_error("provisioning_play", f"{path.name} is not valid YAML: {exc}") from None


def describe(path: Path) -> str:
    """The first play's `name`, shown to users as the job's playbook_description."""
    plays = _load(path)
    if isinstance(plays, list) and plays and isinstance(plays[0], dict):
        return str(plays[0].get("name") or path.stem)
    return path.stem


def count_tasks(path: Path, action: str = "provision") -> int:
    """Tasks a run of `action` goes through, following include_tasks/import_tasks files. A provision takes the
    success path (rescue runs only on failure); a deprovision stops at the play's deliberate stop (see
    task_refuse_deprovision.yaml) and runs the rescue of the block that holds it instead."""
    plays = _load(path)
    deprovisioning = action == "deprovision"
    total = 0
    for play in plays if isinstance(plays, list) else []:
        if isinstance(play, dict):
            for section in ("pre_tasks", "tasks", "post_tasks"):
                counted, failed = _count(play.get(section) or [], path.parent, 0, deprovisioning)
                total += counted
                if failed:
                    return total  # the play ends at an unhandled failure
    return total


def _count(tasks: list[Any], base: Path, depth: int, deprovisioning: bool) -> tuple[int, bool]:
    """Tasks run from the list, and whether it ended at a failure (the deprovision stop) left unhandled."""
    if depth > 10:  # an include cycle; stop rather than recurse forever
        return 0, False
    total = 0
    for task in tasks:
        if not isinstance(task, dict):
            continue
        if "block" in task:
            counted, failed = _count_block(task, base, depth, deprovisioning)
        elif any(k in task for k in INCLUDE_KEYS):
            counted, failed = _count_include(task, base, depth, deprovisioning)
        else:
            counted, failed = 1, deprovisioning and _refuses_deprovision(task)
        total += counted
        if failed:
            return total, True
    return total, False


def _count_block(task: dict[str, Any], base: Path, depth: int, deprovisioning: bool) -> tuple[int, bool]:
    total, failed = _count(task.get("block") or [], base, depth, deprovisioning)
    if failed and task.get("rescue"):
        rescued, failed = _count(task["rescue"], base, depth, deprovisioning)
        total += rescued
    always, always_failed = _count(task.get("always") or [], base, depth, deprovisioning)
    return total + always, failed or always_failed


def _count_include(task: dict[str, Any], base: Path, depth: int, deprovisioning: bool) -> tuple[int, bool]:
    include = next(task[k] for k in INCLUDE_KEYS if k in task)
    dynamic = any(k in task for k in INCLUDE_KEYS[:2])  # include_tasks is itself a task; import_tasks is not
    target = include.get("file") if isinstance(include, dict) else include
    included = base / str(target) if target and "{{" not in str(target) else None
    counted, failed = (_count(_load(included), included.parent, depth + 1, deprovisioning)
                       if included and included.is_file() else (0, False))
    return counted + (1 if dynamic else 0), failed


def _refuses_deprovision(task: dict[str, Any]) -> bool:
    """The deliberate stop: an assert that fails when deprovisioning (`that: not deprovisioning`). The rescue's
    closing assert mentions deprovisioning too but passes, hence the negation in REFUSES_DEPROVISION."""
    check = next((task[k] for k in ASSERT_KEYS if k in task), None)
    that = check.get("that") if isinstance(check, dict) else None
    conditions = that if isinstance(that, list) else [that]
    return any(isinstance(c, str) and REFUSES_DEPROVISION.search(c) for c in conditions)


def truthy(value: Any) -> bool:
    """A playbook variable's truth as Ansible's `| bool` reads it (true/yes/on/1, any case)."""
    return str(value).strip().lower() in ("true", "yes", "on", "1")


def merge_vars(product_vars: str | Mapping[str, Any] | None, request_vars: Mapping[str, Any],
               system_vars: Mapping[str, Any]) -> dict[str, Any]:
    """Precedence, lowest to highest: product JSON vars < request body < system vars (seed-extract-3 §5.1)."""
    if isinstance(product_vars, str):
        product_vars = json.loads(product_vars) if product_vars.strip() else {}
    return {**dict(product_vars or {}), **dict(request_vars), **dict(system_vars)}


def redact(value: Any) -> Any:
    """A copy safe to store and show: tokens, passwords, keys and SIM secrets replaced by ***."""
    if isinstance(value, Mapping):
        return {k: (REDACTED if isinstance(k, str) and SECRET_VAR.search(k) and v not in (None, "")
                    else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value
