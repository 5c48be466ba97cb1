import Synchronization

/// A flag set once, read from any task.
public final class OnceFlag: Sendable {
    private let value = Mutex(false)

    public init() {}

    public func set() { value.withLock { $0 = true } }

    public var isSet: Bool { value.withLock { $0 } }
}
