public import JinaCore
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes documents as JSON lines to a file descriptor, buffered; `flush` after each reply so a
/// downstream pipe sees results as they arrive.
public struct JSONLinesWriter {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Appends one line per document.
    public mutating func write(_ documents: [Document]) {
        for document in documents {
            buffer.append(contentsOf: document.json().serializedBytes())
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    /// Appends one JSON value as a line.
    public mutating func write(_ value: JSONValue) {
        buffer.append(contentsOf: value.serializedBytes())
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Writes out what is buffered; a closed pipe (the reader went away) is a runtime error.
    public mutating func flush() throws(ClientError) {
        var offset = 0
        while offset < buffer.count {
            let count = buffer.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.removeAll(keepingCapacity: true)
                throw ClientError(.runtime, "cannot write the results: \(reason)")
            }
            offset += count
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
