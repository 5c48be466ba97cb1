"""What the OpenTelemetry tests share: an OTLP/gRPC receiver on loopback (grpcio and
opentelemetry-proto, both in the reference venv) that keeps what it is sent."""
import threading
from concurrent import futures

import grpc
import pytest


def attribute(value):
    """The Python value of an OTLP `AnyValue`."""
    return getattr(value, value.WhichOneof("value"))


def attributes(pairs) -> dict:
    return {pair.key: attribute(pair.value) for pair in pairs}


class Receiver:
    """Serves `self` (a generated OTLP servicer subclass) on a free loopback port; `items` holds
    what `Export` recorded, under `lock`."""

    def __init__(self, add_to_server):
        self.items = []
        self.lock = threading.Condition()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        add_to_server(self, self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    def recorded(self):
        """Wakes `wait_until` (an `Export` calls it after adding items, under the lock)."""
        self.lock.notify_all()

    def wait_until(self, condition, timeout: float = 30) -> bool:
        """Whether `condition(items)` came true within `timeout` seconds (woken by each export)."""
        with self.lock:
            return self.lock.wait_for(lambda: condition(list(self.items)), timeout)

    def collected(self) -> list:
        with self.lock:
            return list(self.items)

    def stop(self):
        self.server.stop(None)


def serving(receiver_class):
    """A pytest fixture: a `receiver_class` serving for one test, stopped after it."""
    @pytest.fixture
    def receiver():
        server = receiver_class()
        yield server
        server.stop()
    return receiver
