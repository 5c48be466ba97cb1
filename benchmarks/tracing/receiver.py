"""An OTLP/gRPC trace receiver for `benchmarks/run.sh tracing`: counts the spans it is sent and
drops them. Prints `listening PORT` once serving and `SPANS n` on SIGTERM/SIGINT."""
import signal
import sys
from concurrent import futures

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


class Counter(trace_service_pb2_grpc.TraceServiceServicer):
    spans = 0

    def Export(self, request, context):  # noqa: N802 (the generated name)
        Counter.spans += sum(len(scope.spans) for resource in request.resource_spans for scope in resource.scope_spans)
        return trace_service_pb2.ExportTraceServiceResponse()


server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Counter(), server)
port = server.add_insecure_port(f"127.0.0.1:{sys.argv[1] if len(sys.argv) > 1 else 0}")
server.start()
print(f"listening {port}", flush=True)


def stop(*_):
    server.stop(1).wait()
    print(f"SPANS {Counter.spans}", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
server.wait_for_termination()
