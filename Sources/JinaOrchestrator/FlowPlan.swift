public import JinaCore
public import JinaObservability

/// Everything `jina flow` starts and connects to, worked out from a validated Flow before any
/// process starts, so that every problem (a Docker image, a missing program, a bad executor
/// YAML) is reported up front.
public struct FlowPlan: Sendable {
    /// The processes to start, executor by executor in file order, then shard, then replica.
    public var replicas: [ReplicaPlan]
    /// Where the gateway reaches each executor (local sockets and external addresses).
    public var addresses: [String: [[ExecutorAddress]]]
    /// The names of external executors, which are connected to but not started.
    public var externalExecutors: [String]
    /// The names of Python executors (run by Python Jina's worker under `python`).
    public var pythonExecutors: [String]
    /// The interpreter Python executors run with (`PythonInterpreter.locate`).
    public var python: String?

    /// Plans `flow`.
    /// - Parameters:
    ///   - flowDirectory: the folder of the Flow file; relative program and config paths start there.
    ///   - executablePath: the running `jina` binary, which serves the built-in executors.
    ///   - logging: passed to every executor as flags when it differs from the default (text,
    ///     info, not quiet), so a custom program that knows none of them still starts by default.
    ///   - reservedPorts: ports already in use by the Flow (the gateway's, the aggregated
    ///     metrics endpoint's); picked metrics ports avoid them.
    ///   - pickPort: a free port for an executor's metrics endpoint (executors with `monitoring`)
    ///     and for each replica of a Python executor.
    ///   - python: the interpreter of Python executors.
    ///   - environment: `jina flow`'s own environment (`CUDA_VISIBLE_DEVICES=RR…` there applies to
    ///     every executor that sets none).
    ///   - gpuCount: how many GPUs there are (asked only when some executor wants `RR…`).
    public init(
        flow: Flow, runDirectory: RunDirectory, flowDirectory: String, executablePath: String,
        logging: LoggingConfiguration? = nil, reservedPorts: Set<Int> = [], pickPort: (() -> Int?)? = nil,
        python: String? = nil, environment: [String: String] = [:], gpuCount: (() -> Int)? = nil
    ) throws(OrchestratorError) {
        var ports = PortPicker(
            reserved: reservedPorts.union(Self.explicitPorts(flow)), pick: pickPort ?? FreePort.pick)
        var processOptions = ExecutorInvocation()
        if let logging, logging != LoggingConfiguration() { logging.apply(to: &processOptions) }
        replicas = []
        addresses = [:]
        externalExecutors = []
        pythonExecutors = []
        self.python = python
        var gpus: Int?
        var bootstrap: String?
        for spec in flow.executorsWithHeads {
            if spec.external {
                addresses[spec.name] = Self.externalAddresses(spec)
                externalExecutors.append(spec.name)
                continue
            }
            let launch = try ExecutorLaunch(spec: spec, flowDirectory: flowDirectory, executablePath: executablePath)
            let baseEnvironment = flow.environment(of: spec)
            if launch.python != nil { pythonExecutors.append(spec.name) }
            // Round-robin GPUs (as Python Jina): the executor's own value, else `jina flow`'s.
            let gpuRequest = spec.env[CUDADevices.variable].flatMap { $0.isEmpty ? nil : $0 }
                ?? environment[CUDADevices.variable]
            var shards: [[ExecutorAddress]] = []
            for shard in 0..<max(1, spec.shards) {
                var group: [ExecutorAddress] = []
                for replica in 0..<max(1, spec.replicas) {
                    var childEnvironment = baseEnvironment
                    if let gpuRequest, gpuRequest.hasPrefix("RR") {
                        if gpus == nil { gpus = gpuCount?() ?? CUDADevices.count(environment: environment) }
                        if let device = CUDADevices.assign(gpuRequest, replica: replica, deviceCount: gpus ?? 0) {
                            childEnvironment[CUDADevices.variable] = device
                        }
                    }
                    var options = processOptions
                    var monitoringPort: Int?
                    if spec.monitoring {
                        // `port_monitoring` goes to the first process; the others get free ports.
                        let first = shard == 0 && replica == 0
                        guard let port = (first ? spec.portMonitoring : nil) ?? ports.next() else {
                            throw OrchestratorError("no free port for the metrics of executor `\(spec.name)`")
                        }
                        monitoringPort = port
                        options.monitoring = true
                        options.portMonitoring = port
                    }
                    options.trace(flow.tracing(of: spec))
                    options.exportMetrics(spec.metricsExport)
                    let arguments: [String]
                    let address: ExecutorAddress
                    if let pythonLaunch = launch.python {
                        guard let port = ports.next() else {
                            throw OrchestratorError("no free port for Python executor `\(spec.name)`")
                        }
                        if bootstrap == nil { bootstrap = try PythonLaunch.writeBootstrap(in: runDirectory) }
                        arguments = pythonLaunch.arguments(
                            // Named as Jina names a Flow's replicas (`name/rep-0`, `name/shard-1/rep-0`).
                            python: python ?? "python3", bootstrap: bootstrap!,
                            name: RuntimeName.executor(spec.name, shard: spec.shards > 1 ? shard : nil, replica: replica),
                            shard: shard, shards: max(1, spec.shards),
                            replica: replica, port: port, monitoringPort: monitoringPort)
                        address = .tcp(host: "127.0.0.1", port: port, tls: false)
                        childEnvironment = PythonLaunch.environment(childEnvironment, logging: logging)
                        if let tracing = flow.tracing(of: spec) { childEnvironment = tracing.samplerEnvironment(childEnvironment) }
                    } else {
                        let socket = try runDirectory.socketPath(executor: spec.name, shard: shard, replica: replica)
                        arguments = launch.arguments(
                            name: spec.name, shard: shard, shards: spec.shards, replica: replica,
                            workspace: spec.workspace, socket: socket, options: options)
                        address = .unix(path: socket)
                    }
                    var plan = ReplicaPlan(
                        executor: spec.name, shard: shard, shards: max(1, spec.shards),
                        replica: replica, replicas: max(1, spec.replicas),
                        executable: launch.executable, arguments: arguments,
                        environment: childEnvironment, address: address, readyTimeout: spec.readyTimeout)
                    plan.monitoringPort = monitoringPort
                    if launch.executable == executablePath, executablePath == ExecutablePath.selfLink {
                        plan.argumentZero = ExecutablePath.resolved
                    }
                    replicas.append(plan)
                    group.append(plan.address)
                }
                shards.append(group)
            }
            addresses[spec.name] = shards
        }
        // Head executors that already run (`uses_before_address`): connected to, not started.
        for spec in flow.executors {
            for role in HeadRole.allCases {
                guard let text = spec.headAddress(role) else { continue }
                addresses[spec.headName(role)] = [[try Self.headAddress(text, of: spec, role: role)]]
            }
        }
    }

    /// `uses_before_address`: Jina's `HOST:PORT`, or one of our addresses (`grpc://`, `unix://`).
    static func headAddress(_ text: String, of spec: ExecutorSpec, role: HeadRole) throws(OrchestratorError) -> ExecutorAddress {
        do {
            return try ExecutorAddress(parsing: text.contains("://") ? text : "grpc://\(text)")
        } catch {
            throw OrchestratorError("executor `\(spec.name)`: \(role.rawValue)_address `\(text)` is not an address: \(error.summary)",
                                    hint: "write it as HOST:PORT (or grpc://HOST:PORT, unix:///PATH)")
        }
    }

    /// The ports the Flow file names: the gateway's, its `port_monitoring`, every executor's
    /// `port_monitoring`.
    static func explicitPorts(_ flow: Flow) -> Set<Int> {
        var ports = Set(flow.gateway.ports)
        if let port = flow.gateway.portMonitoring { ports.insert(port) }
        for spec in flow.executors {
            if let port = spec.portMonitoring { ports.insert(port) }
        }
        return ports
    }

    /// One shard whose replicas are the external executor's addresses: one per port, with the
    /// host of the same position (or the only host).
    static func externalAddresses(_ spec: ExecutorSpec) -> [[ExecutorAddress]] {
        let ports = spec.ports.isEmpty ? [54321] : spec.ports
        let hosts = spec.hosts.isEmpty ? ["127.0.0.1"] : spec.hosts
        let count = max(ports.count, hosts.count)
        let replicas = (0..<count).map { index -> ExecutorAddress in
            let host = hosts[min(index, hosts.count - 1)]
            let port = ports[min(index, ports.count - 1)]
            return .tcp(host: host == "0.0.0.0" ? "127.0.0.1" : host, port: port, tls: spec.tls)
        }
        return [replicas]
    }
}
