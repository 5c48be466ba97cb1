extension FlowGraph {
    /// The cycles among `needs`, one per strongly connected group of two or more executors
    /// (self-loops are not reported here). Each cycle starts and ends at the group's first
    /// executor in file order and follows the data flow: `["a", "b", "a"]` = a's output goes
    /// to b, b's back to a. Cycles are ordered by their first executor's position.
    ///
    /// Iterative (Tarjan's algorithm with an explicit stack), so a long chain cannot overflow
    /// the call stack. Unknown names in `needs` are ignored.
    public static func cycles(nodes: [String], needs: [String: [String]]) -> [[String]] {
        let position = Dictionary(nodes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // Data-flow successors by position: need → consumer.
        var successors = [[Int]](repeating: [], count: nodes.count)
        for (consumer, name) in nodes.enumerated() {
            for need in needs[name] ?? [] {
                if let source = position[need], source != consumer { successors[source].append(consumer) }
            }
        }
        return components(successors)
            .filter { $0.count > 1 }
            .map { group in path(in: Set(group), from: group.min()!, successors: successors).map { nodes[$0] } }
            .sorted { position[$0[0]]! < position[$1[0]]! }
    }

    /// Strongly connected components (Tarjan), each as a list of node positions.
    private static func components(_ successors: [[Int]]) -> [[Int]] {
        let count = successors.count
        var index = [Int](repeating: -1, count: count), lowlink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = [], result: [[Int]] = [], next = 0
        for root in 0..<count where index[root] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = next; lowlink[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let (node, edge) = work.last {
                if edge < successors[node].count {
                    work[work.count - 1].edge += 1
                    let target = successors[node][edge]
                    if index[target] < 0 {
                        index[target] = next; lowlink[target] = next; next += 1
                        stack.append(target); onStack[target] = true
                        work.append((target, 0))
                    } else if onStack[target] {
                        lowlink[node] = min(lowlink[node], index[target])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { lowlink[parent] = min(lowlink[parent], lowlink[node]) }
                if lowlink[node] == index[node] {
                    var group: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        group.append(member)
                        if member == node { break }
                    }
                    result.append(group)
                }
            }
        }
        return result
    }

    /// A shortest walk from `start` back to `start` inside `group` (breadth first).
    private static func path(in group: Set<Int>, from start: Int, successors: [[Int]]) -> [Int] {
        var previous: [Int: Int] = [:]
        var queue = [start], head = 0
        while head < queue.count {
            let node = queue[head]; head += 1
            for target in successors[node] where group.contains(target) {
                if target == start {
                    var walk = [start]
                    var step = node
                    while step != start { walk.append(step); step = previous[step]! }
                    return [start] + walk.dropFirst().reversed() + [start]
                }
                if previous[target] == nil {
                    previous[target] = node
                    queue.append(target)
                }
            }
        }
        return [start, start]
    }
}
