#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor in fixed-size chunks, so memory stays flat however long the
/// input is. Lines end with `\n` (a trailing `\r` is dropped); a last line without one counts.
public struct LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the newline search goes on: `buffer[start..<scanned]` holds none, so a long line
    /// is searched once, not again from its start after every chunk.
    private var scanned = 0
    private var ended = false
    /// 1-based number of the last line returned.
    public private(set) var lineNumber = 0

    /// Bytes asked for per read (64 KiB; tests and the fuzzer use small ones so that lines
    /// cross chunk boundaries).
    let chunkSize: Int

    /// Reads from `descriptor` (not closed by the reader).
    public init(descriptor: Int32, chunkSize: Int = 1 << 16) {
        precondition(chunkSize > 0, "the chunk size must be positive")
        self.descriptor = descriptor
        self.chunkSize = chunkSize
    }

    /// The next line's bytes, or nil at the end of the input.
    public mutating func next() throws(ClientError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[start..<newline]
                start = newline + 1
                scanned = start
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                lineNumber += 1
                return line
            }
            if ended {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                scanned = start
                lineNumber += 1
                return line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            }
            scanned = buffer.count
            try fill()
        }
    }

    /// Drops the consumed bytes and reads one more chunk.
    private mutating func fill() throws(ClientError) {
        if start > 0 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        let previous = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        var count: Int
        repeat {
            count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + previous, chunkSize) }
        } while count < 0 && errno == EINTR
        guard count >= 0 else {
            buffer.removeLast(chunkSize)
            throw ClientError(.runtime, "cannot read the input: \(String(cString: strerror(errno)))")
        }
        buffer.removeLast(chunkSize - count)
        if count == 0 { ended = true }
    }
}
