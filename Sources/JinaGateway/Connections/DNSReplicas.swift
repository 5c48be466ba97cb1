#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import JinaCore
import Logging
import Synchronization

/// The replicas behind a DNS name (`dns://NAME:PORT`, e.g. a Kubernetes headless service): one
/// connection per address the name resolves to (every A and AAAA record). The name is looked
/// up again every `refreshInterval` and when every replica has failed (at most once a second);
/// new addresses get a connection, vanished ones are closed after their requests drain. A
/// lookup that finds nothing keeps the replicas there are.
final class DNSReplicas: ReplicaSource, PoolMember {
    let executor: String
    let name: String
    let port: Int
    private let transport: ExecutorTransport
    private let metadata: [String: String]
    private let refreshInterval: Duration
    private let logger: Logger

    private struct State {
        var connections: [(address: String, connection: ExecutorConnection)] = []
        var closed = false
        var lastLookup: ContinuousClock.Instant?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    private let starts: AsyncStream<ExecutorConnection>
    private let startsIn: AsyncStream<ExecutorConnection>.Continuation
    private let lookups: AsyncStream<Void>
    private let lookupsIn: AsyncStream<Void>.Continuation

    init(executor: String, name: String, port: Int, transport: ExecutorTransport,
         metadata: [String: String] = [:], refreshInterval: Duration, logger: Logger) {
        self.executor = executor
        self.name = name
        self.port = port
        self.transport = transport
        self.metadata = metadata
        self.refreshInterval = refreshInterval
        self.logger = logger
        (starts, startsIn) = AsyncStream.makeStream(of: ExecutorConnection.self)
        (lookups, lookupsIn) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var replicas: [any ExecutorCaller] {
        state.withLock { $0.connections.map(\.connection) }
    }

    func replicasFailed() {
        lookupsIn.yield()
    }

    func waitForReplicas(upTo limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForAny() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withDiscardingTaskGroup { connections in
                    for await connection in self.starts {
                        connections.addTask { await connection.run() }
                    }
                }
            }
            group.addTask {
                await withTaskGroup(of: Void.self) { lookup in
                    lookup.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: self.refreshInterval)
                            self.lookupsIn.yield()
                        }
                    }
                    lookup.addTask {
                        await self.lookUp(force: true)
                        for await _ in self.lookups { await self.lookUp(force: false) }
                    }
                    // The lookups end on close(); then the timer is cancelled.
                    await lookup.next()
                    lookup.cancelAll()
                }
            }
        }
    }

    func close() {
        let (connections, waiters) = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return (state.connections.map(\.connection), Array(state.waiters.values))
        }
        for connection in connections { connection.close() }
        startsIn.finish()
        lookupsIn.finish()
        for waiter in waiters { waiter.resume() }
    }

    /// Looks the name up and brings the connections in line with the answer.
    private func lookUp(force: Bool) async {
        let now = ContinuousClock.now
        let due = state.withLock { state in
            if !force, let last = state.lastLookup, now - last < .seconds(1) { return false }
            state.lastLookup = now
            return true
        }
        guard due else { return }
        let found = await Self.addresses(of: name)
        guard !found.isEmpty else {
            logger.warning("dns://\(name):\(port) (executor \(executor)) resolves to no address; keeping \(replicas.count) replica(s)")
            return
        }
        var added: [ExecutorConnection] = []
        var removed: [ExecutorConnection] = []
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard !state.closed else { return [] }
            let current = Set(state.connections.map(\.address))
            for (address, connection) in state.connections where !found.contains(address) {
                removed.append(connection)
            }
            state.connections.removeAll { !found.contains($0.address) }
            for address in found where !current.contains(address) {
                do {
                    let connection = try ExecutorConnection(
                        executor: executor, address: .tcp(host: address, port: port, tls: false),
                        transport: transport, metadata: metadata, logger: logger)
                    state.connections.append((address, connection))
                    added.append(connection)
                } catch let error as GatewayError {
                    logger.error("executor \(executor): \(error.summary)")
                } catch {
                    logger.error("executor \(executor): \(error)")
                }
            }
            guard !state.connections.isEmpty else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for connection in added { startsIn.yield(connection) }
        for connection in removed { connection.close() }
        if !added.isEmpty || !removed.isEmpty {
            logger.info("dns://\(name):\(port) (executor \(executor)): \(found.sorted().joined(separator: ", "))")
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitForAny() async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    if !state.connections.isEmpty || state.closed || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Every address `name` resolves to (getaddrinfo, off the concurrency pool: it blocks).
    static func addresses(of name: String) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: lookUpBlocking(name))
            }
        }
    }

    private static func lookUpBlocking(_ name: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var found: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let family = current.pointee.ai_family
            if let address = current.pointee.ai_addr {
                if family == AF_INET {
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                        var raw = ipv4.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
                    }
                } else if family == AF_INET6 {
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                        var raw = ipv6.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
                    }
                }
            }
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.isEmpty, !found.contains(text) { found.append(text) }
            entry = current.pointee.ai_next
        }
        return found
    }
}
