/// The topology of a Flow: which executor receives from which, starting at the gateway.
///
/// Nodes are executor names; `gateway` stands for the gateway's start (where requests enter).
/// Executors that nothing needs and that are not floating feed the gateway's end (the response).
public struct FlowGraph: Sendable, Encodable, Equatable {
    /// The name that stands for the gateway in `needs`.
    public static let gateway = "gateway"

    /// A data-flow edge: `from`'s output goes to `to` (`to` needs `from`).
    public struct Edge: Sendable, Equatable, Encodable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// Executor names in file order.
    public let nodes: [String]
    /// Edges in file order of their receiving executor, then in `needs` order.
    public let edges: [Edge]
    /// Every executor after all it needs; among executors ready at once, file order.
    public let topologicalOrder: [String]
    /// Executors whose output goes to the gateway's end: nothing needs them and they are not
    /// floating. Their results are merged (in this order) into the response. (Python Jina
    /// connects only the last non-floating executor in file order to its end and drops the
    /// results of other leaves; here every such leaf counts.)
    public let gatewayInputs: [String]
    /// Executors whose output is not passed on (`floating: true`).
    public let floating: [String]
    /// Executors that need two or more others (they merge their inputs).
    public let mergePoints: [String]

    private let needsOf: [String: [String]]
    private let consumersOf: [String: [String]]

    /// Builds the graph from executors in file order with their effective `needs`. The needs
    /// must name known executors or `gateway` and contain no cycle (the validator ensures it).
    public init(executors: [(name: String, needs: [String], floating: Bool)]) {
        nodes = executors.map(\.name)
        var needsOf: [String: [String]] = [:]
        var consumersOf: [String: [String]] = [:]
        var edges: [Edge] = []
        for executor in executors {
            needsOf[executor.name] = executor.needs
            for need in executor.needs {
                edges.append(Edge(from: need, to: executor.name))
                consumersOf[need, default: []].append(executor.name)
            }
        }
        self.needsOf = needsOf
        self.consumersOf = consumersOf
        self.edges = edges
        floating = executors.filter(\.floating).map(\.name)
        mergePoints = executors.filter { $0.needs.count > 1 }.map(\.name)
        gatewayInputs = executors.filter { !$0.floating && (consumersOf[$0.name] ?? []).isEmpty }.map(\.name)
        topologicalOrder = Self.order(nodes, needsOf: needsOf)
    }

    /// What `name` receives from (executors or `gateway`), in `needs` order.
    public func needs(of name: String) -> [String] {
        needsOf[name] ?? []
    }

    /// Executors that receive `name`'s output (`gateway` for those that start the Flow).
    public func consumers(of name: String) -> [String] {
        consumersOf[name] ?? []
    }

    /// Jina's `--graph-description` form: `{"start-gateway": ["a"], "a": ["end-gateway"]}`.
    public var jinaGraphDescription: [String: [String]] {
        var description = ["start-gateway": consumers(of: Self.gateway)]
        for node in nodes {
            description[node] = consumers(of: node) + (gatewayInputs.contains(node) ? ["end-gateway"] : [])
        }
        return description
    }

    /// Kahn's algorithm, taking the earliest executor in file order among the ready ones
    /// (a min-heap of positions keeps it O((n + e) log n) for large Flows).
    private static func order(_ nodes: [String], needsOf: [String: [String]]) -> [String] {
        var position: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where position[node] == nil { position[node] = index }
        var waitingFor = [Int](repeating: 0, count: nodes.count)
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for need in needsOf[node] ?? [] where need != Self.gateway {
                guard let source = position[need] else { continue }
                waitingFor[index] += 1
                consumers[source].append(index)
            }
        }
        var ready = MinHeap(nodes.indices.filter { waitingFor[$0] == 0 })
        var order: [String] = []
        while let index = ready.pop() {
            order.append(nodes[index])
            for consumer in consumers[index] {
                waitingFor[consumer] -= 1
                if waitingFor[consumer] == 0 { ready.push(consumer) }
            }
        }
        return order
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(edges, forKey: .edges)
        try container.encode(topologicalOrder, forKey: .topologicalOrder)
        try container.encode(gatewayInputs, forKey: .gatewayInputs)
        try container.encode(floating, forKey: .floating)
        try container.encode(mergePoints, forKey: .mergePoints)
    }

    private enum CodingKeys: String, CodingKey {
        case nodes, edges, topologicalOrder, gatewayInputs, floating, mergePoints
    }
}

/// A binary min-heap of positions.
private struct MinHeap {
    private var items: [Int] = []

    init(_ initial: [Int]) {
        for item in initial { push(item) }
    }

    mutating func push(_ item: Int) {
        items.append(item)
        var child = items.count - 1
        while child > 0, items[(child - 1) / 2] > items[child] {
            items.swapAt(child, (child - 1) / 2)
            child = (child - 1) / 2
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { return first }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
