"""pytest fixtures for the fakes. Register with ``pytest_plugins = ["tests.fakes.plugin"]``.

Each fake is started once per session on a loopback port and reset before every test that uses it:
``fake_cgrates``, ``fake_pyhss``, ``fake_mailjet``, ``fake_smsc``, ``fake_cbc``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .cbc import FakeCBC
from .cgrates import FakeCGRateS
from .mailjet import FakeMailjet
from .pyhss import FakePyHSS
from .smsc import FakeSMSC


def _serve(fake_class: type) -> Iterator[Any]:
    with fake_class.serve() as fake:
        yield fake


@pytest.fixture(scope="session")
def _fake_cgrates_server() -> Iterator[FakeCGRateS]:
    yield from _serve(FakeCGRateS)


@pytest.fixture(scope="session")
def _fake_pyhss_server() -> Iterator[FakePyHSS]:
    yield from _serve(FakePyHSS)


@pytest.fixture(scope="session")
def _fake_mailjet_server() -> Iterator[FakeMailjet]:
    yield from _serve(FakeMailjet)


@pytest.fixture(scope="session")
def _fake_smsc_server() -> Iterator[FakeSMSC]:
    yield from _serve(FakeSMSC)


@pytest.fixture(scope="session")
def _fake_cbc_server() -> Iterator[FakeCBC]:
    yield from _serve(FakeCBC)


@pytest.fixture
def fake_cgrates(_fake_cgrates_server: FakeCGRateS) -> FakeCGRateS:
    _fake_cgrates_server.reset()
    return _fake_cgrates_server


@pytest.fixture
def fake_pyhss(_fake_pyhss_server: FakePyHSS) -> FakePyHSS:
    _fake_pyhss_server.reset()
    return _fake_pyhss_server


@pytest.fixture
def fake_mailjet(_fake_mailjet_server: FakeMailjet) -> FakeMailjet:
    _fake_mailjet_server.reset()
    return _fake_mailjet_server


@pytest.fixture
def fake_smsc(_fake_smsc_server: FakeSMSC) -> FakeSMSC:
    _fake_smsc_server.reset()
    return _fake_smsc_server


@pytest.fixture
def fake_cbc(_fake_cbc_server: FakeCBC) -> FakeCBC:
    _fake_cbc_server.reset()
    return _fake_cbc_server
