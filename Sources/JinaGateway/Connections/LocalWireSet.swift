import JinaProto
import NIOCore
import NIOPosix

/// The local-wire connections to one replica: one per event loop, so that a request is written
/// on the connection of the loop its task runs on and its reply comes back there — with Swift
/// Concurrency on NIO's loops (main.swift) a request through the gateway then never changes
/// thread. They are one outlet: one that breaks closes them all.
final class LocalWireSet: Sendable {
    let wires: [LocalWireChannel]

    private init(wires: [LocalWireChannel]) {
        self.wires = wires
    }

    /// Connects once on every event loop; nil when the executor does not offer the local wire.
    static func connect(path: String, connection: ExecutorConnection) async -> LocalWireSet? {
        var wires: [LocalWireChannel] = []
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            guard let wire = await LocalWireChannel.connect(path: path, connection: connection, on: loop) else {
                for wire in wires { wire.close() }
                return nil
            }
            wires.append(wire)
        }
        guard !wires.isEmpty else { return nil }
        let set = LocalWireSet(wires: wires)
        for wire in wires {
            // A connection that breaks takes the others with it (their requests fail over); one
            // that closes after the executor's goAway leaves the others to finish their replies.
            wire.whenClosed { if !wire.wentAway { set.close() } }
        }
        return set
    }

    /// The connection of the current event loop (any one off the loops).
    private var here: LocalWireChannel {
        if let current = MultiThreadedEventLoopGroup.currentEventLoop,
           let wire = wires.first(where: { $0.eventLoop === current }) {
            return wire
        }
        return wires[0]
    }

    func send(_ message: Jina_DataRequestProtoWoData, id: String, metadata: [String: String]) -> Bool {
        here.send(message, id: id, metadata: metadata)
    }

    func cancel(_ id: String) {
        for wire in wires { wire.cancel(id) }
    }

    func contains(_ wire: LocalWireChannel) -> Bool {
        wires.contains { $0 === wire }
    }

    func close() {
        for wire in wires { wire.close() }
    }

    /// Waits until every connection has closed; why the first one did.
    func closed() async -> String {
        var problems: [String] = []
        for wire in wires { problems.append(await wire.closed()) }
        return problems.first ?? "the executor closed the local wire"
    }
}
