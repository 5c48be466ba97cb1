/// Where a process serves its Prometheus metrics (`--monitoring --port-monitoring P`).
public struct MonitoringEndpoint: Sendable, Equatable {
    /// nil = the process's own default (its TCP host, or loopback).
    public var host: String?
    /// 0 = a free port.
    public var port: Int

    public init(host: String? = nil, port: Int) {
        self.host = host
        self.port = port
    }
}
