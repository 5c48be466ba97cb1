import CLibYAML

/// Feeds libyaml its input in small pieces and stops it once flow nesting (`[`, `{`) passes the
/// depth limit.
///
/// libyaml's scanner revisits every open flow level for every token, so its work grows with the
/// square of the nesting: a text of a million `[` would keep it busy for hours before the
/// converter ever sees the tree. libyaml cannot be interrupted, but it asks for input through
/// this read handler, which checks `flow_level` and fails the read when the limit is passed.
/// Pieces never hold more brackets than the remaining allowance, so the stop comes within a few
/// characters of the bracket that crossed the limit.
struct ChunkedInput {
    private let input: UnsafeBufferPointer<UInt8>
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let maxFlowLevel: Int
    private var offset = 0
    /// Set when the read handler refused to go on because of nesting.
    private(set) var stoppedForDepth = false

    /// Largest piece handed over at once; libyaml's own raw buffer holds 16 KiB.
    private static let pieceSize = 4096

    init(input: UnsafeBufferPointer<UInt8>, parser: UnsafeMutablePointer<yaml_parser_t>, maxFlowLevel: Int) {
        self.input = input
        self.parser = parser
        self.maxFlowLevel = maxFlowLevel
    }

    /// Installs the read handler on `state.parser`; `state` must outlive the parser's use.
    static func install(_ state: UnsafeMutablePointer<ChunkedInput>) {
        yaml_parser_set_input(state.pointee.parser, { data, buffer, size, sizeRead in
            guard let data, let buffer, let sizeRead else { return 0 }
            let state = data.assumingMemoryBound(to: ChunkedInput.self)
            guard let count = state.pointee.nextPiece(into: buffer, capacity: size) else { return 0 }
            sizeRead.pointee = count
            return 1
        }, state)
    }

    /// Copies the next piece into `buffer`; 0 at the end of the input, nil to stop libyaml.
    private mutating func nextPiece(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
        let flowLevel = Int(parser.pointee.flow_level)
        if flowLevel > maxFlowLevel {
            stoppedForDepth = true
            return nil
        }
        let allowance = maxFlowLevel - flowLevel + 1
        let count = min(capacity, input.count - offset, allowance, Self.pieceSize)
        guard count > 0, let base = input.baseAddress else { return 0 }
        buffer.update(from: base + offset, count: count)
        offset += count
        return count
    }
}
