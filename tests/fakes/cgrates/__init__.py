"""Fake CGRateS (JSON-RPC over HTTP), faithful to cgrates/cgrates master as described in integrations.md.

with FakeCGRateS.serve() as fake:
    requests.post(fake.url + "/jsonrpc", json={"method": "APIerSv2.GetAccount", "params": [{...}], "id": 1})
"""

from .errors import RPCError
from .server import FakeCGRateS

__all__ = ["FakeCGRateS", "RPCError"]
