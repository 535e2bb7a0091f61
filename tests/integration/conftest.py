"""Two PyHSS peers for the multi-peer client tests (the single fakes come from tests.fakes.plugin)."""

from collections.abc import Iterator
from typing import Any

import pytest

from omnicrm.core.config import PROJECT_ROOT, Settings, load_settings
from tests.fakes.pyhss import FakePyHSS


def client_settings(**sections: Any) -> Settings:
    """The shipped crm_config.yaml with the given sections merged in (as an operator would configure it)."""
    return load_settings(PROJECT_ROOT / "crm_config.yaml", env={}, overrides={"environment": "test", **sections})


def host_port(url: str) -> str:
    return url.removeprefix("http://")


@pytest.fixture(scope="module")
def _pyhss_servers() -> Iterator[list[FakePyHSS]]:
    with FakePyHSS.serve(origin_host="hss01") as first, FakePyHSS.serve(origin_host="hss02") as second:
        yield [first, second]


@pytest.fixture
def fake_pyhss_peers(_pyhss_servers: list[FakePyHSS]) -> Iterator[list[FakePyHSS]]:
    for fake in _pyhss_servers:
        fake.reset()
    yield _pyhss_servers
    for fake in _pyhss_servers:
        fake.reset()
