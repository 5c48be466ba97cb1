"""A minimal Python Jina executor with one untyped catch-all handler. Used by make_fixtures.py
to capture what Python Jina's own executor answers to endpoint_discovery.

    jina executor --uses EchoExecutor --py-modules Tests/Interop/fixture_executor.py \
        --host 127.0.0.1 --port 54399
"""
from jina import Executor, requests


class EchoExecutor(Executor):
    @requests
    def echo(self, docs, **kwargs):
        return docs
