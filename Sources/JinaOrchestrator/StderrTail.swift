/// The last lines a child process wrote to stderr, kept to explain a failure
/// ("the last 10 lines of its stderr"). Overly long lines are cut so a runaway process cannot
/// make the buffer large.
public struct StderrTail: Sendable, Equatable {
    public let capacity: Int
    public let maxLineLength: Int
    private var ring: [String] = []
    private var next = 0

    public init(capacity: Int = 10, maxLineLength: Int = 500) {
        self.capacity = max(1, capacity)
        self.maxLineLength = max(1, maxLineLength)
    }

    public mutating func append(_ line: String) {
        var text = line
        if text.hasSuffix("\r") { text.removeLast() }
        if text.count > maxLineLength { text = String(text.prefix(maxLineLength)) + "…" }
        if ring.count < capacity {
            ring.append(text)
        } else {
            ring[next] = text
            next = (next + 1) % capacity
        }
    }

    /// The kept lines, oldest first.
    public var lines: [String] {
        Array(ring[next...] + ring[..<next])
    }

    public var isEmpty: Bool { ring.isEmpty }

    public mutating func removeAll() {
        ring.removeAll(keepingCapacity: true)
        next = 0
    }
}
