/// The YAML input as bytes, with what is needed to map libyaml's positions back onto it.
///
/// libyaml counts lines and columns from 0 and columns in Unicode scalars; `Mark` counts from 1
/// and columns in characters (grapheme clusters), so `é` written as `e` + U+0301 is one column.
/// A class because the per-line column maps are built lazily and cached; it never leaves the
/// synchronous load that created it.
final class SourceText {
    let bytes: [UInt8]
    /// The byte offset where each line starts, splitting lines exactly where libyaml does.
    private let lineStarts: [Int]
    /// Lines with a non-ASCII byte: only there do scalar, byte and character columns differ.
    private let wideLines: Set<Int>
    /// Built on first use for a wide line, so that marks on a long line cost O(1) each.
    private var wideLineMaps: [Int: WideLineMap] = [:]

    private struct WideLineMap {
        /// For each Unicode scalar of the line (and one past the end): its character index.
        var characterIndexes: [Int] = []
        /// For each Unicode scalar of the line (and one past the end): its byte offset.
        var byteOffsets: [Int] = []
    }

    init(_ text: String) {
        bytes = Array(text.utf8)
        (lineStarts, wideLines) = Self.lines(of: bytes)
    }

    /// The `Mark` of a libyaml position (0-based line, 0-based column in Unicode scalars).
    func mark(line: Int, scalarColumn: Int) -> Mark {
        // libyaml puts the end of a text without a final line break on a line after it.
        if line >= lineStarts.count, line > 0 {
            let last = lineStarts.count - 1
            let scalars = bytes[lineStarts[last]...].count { !Self.isContinuation($0) }
            return mark(line: last, scalarColumn: scalars)
        }
        guard let map = wideLineMap(line) else { return Mark(line: line + 1, column: scalarColumn + 1) }
        let indexes = map.characterIndexes
        let column = scalarColumn < indexes.count
            ? indexes[scalarColumn]
            : indexes[indexes.count - 1] + scalarColumn - (indexes.count - 1)
        return Mark(line: line + 1, column: column + 1)
    }

    /// The `Mark` of a byte offset (libyaml reports reader errors by offset only).
    func mark(byteOffset: Int) -> Mark {
        let offset = min(max(byteOffset, 0), bytes.count)
        let line = (lineStarts.lastIndex { $0 <= offset }) ?? 0
        let scalars = bytes[lineStarts[line]..<offset].count { !Self.isContinuation($0) }
        return mark(line: line, scalarColumn: scalars)
    }

    /// The byte at a libyaml position, or nil past the end of the input.
    func byte(line: Int, scalarColumn: Int) -> UInt8? {
        guard let offset = byteOffset(line: line, scalarColumn: scalarColumn), offset < bytes.count else {
            return nil
        }
        return bytes[offset]
    }

    /// Whether the text from a position to the end of another line contains `needle`.
    func contains(_ needle: String, fromLine: Int, column: Int, toLine: Int) -> Bool {
        guard let start = byteOffset(line: fromLine, scalarColumn: column) else { return false }
        // A line past the last one (libyaml reports the end of the stream there) means the end.
        let end = toLine + 1 < lineStarts.count ? lineStarts[toLine + 1] : bytes.count
        let pattern = Array(needle.utf8)
        guard start < end, end - start >= pattern.count else { return false }
        for offset in start...(end - pattern.count) where bytes[offset..<offset + pattern.count].elementsEqual(pattern) {
            return true
        }
        return false
    }

    /// Whether node properties at this position include a tag (`!!str 1`, `&a !x 1`).
    ///
    /// libyaml gives untagged scalars the tag `!!str` too, so an explicit `!!str` can only be
    /// told apart by looking at the text: a node's start mark points at its first property.
    func hasTag(line: Int, scalarColumn: Int) -> Bool {
        guard var offset = byteOffset(line: line, scalarColumn: scalarColumn) else { return false }
        for _ in 0..<2 {  // at most one anchor and one tag, in either order
            guard offset < bytes.count else { return false }
            switch bytes[offset] {
            case UInt8(ascii: "!"): return true
            case UInt8(ascii: "&"):
                offset += 1
                while offset < bytes.count, Self.isAnchorByte(bytes[offset]) { offset += 1 }
                offset = skippingSpaceAndComments(from: offset)
            default: return false
            }
        }
        return false
    }

    private func skippingSpaceAndComments(from start: Int) -> Int {
        var offset = start
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                offset += 1
            case UInt8(ascii: "#"):
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
            default:
                return offset
            }
        }
        return offset
    }

    private func byteOffset(line: Int, scalarColumn: Int) -> Int? {
        guard line >= 0, line < lineStarts.count, scalarColumn >= 0 else { return nil }
        guard let map = wideLineMap(line) else { return lineStarts[line] + scalarColumn }
        return scalarColumn < map.byteOffsets.count ? map.byteOffsets[scalarColumn] : nil
    }

    /// nil for an ASCII line (or a line libyaml counted that the text lacks).
    private func wideLineMap(_ line: Int) -> WideLineMap? {
        guard wideLines.contains(line) else { return nil }
        if let cached = wideLineMaps[line] { return cached }
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
        var map = WideLineMap()
        var offset = lineStarts[line]
        for (index, character) in String(decoding: bytes[offset..<end], as: UTF8.self).enumerated() {
            for scalar in character.unicodeScalars {
                map.characterIndexes.append(index)
                map.byteOffsets.append(offset)
                offset += UTF8.width(scalar)
            }
        }
        map.characterIndexes.append(map.characterIndexes.last.map { $0 + 1 } ?? 0)
        map.byteOffsets.append(offset)
        wideLineMaps[line] = map
        return map
    }

    /// Line starts by libyaml's rules (LF, CR LF, CR, NEL, LS and PS end a line; a leading BOM
    /// is skipped without taking a column), and which lines hold non-ASCII bytes.
    private static func lines(of bytes: [UInt8]) -> ([Int], Set<Int>) {
        var offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var starts = [offset]
        var wide: Set<Int> = []
        func at(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
        while offset < bytes.count {
            switch (bytes[offset], at(offset + 1), at(offset + 2)) {
            case (0x0D, 0x0A, _): offset += 2
            case (0x0A, _, _), (0x0D, _, _): offset += 1
            case (0xC2, 0x85, _): offset += 2
            case (0xE2, 0x80, 0xA8), (0xE2, 0x80, 0xA9): offset += 3
            case (let byte, _, _):
                if byte >= 0x80 { wide.insert(starts.count - 1) }
                offset += 1
                continue
            }
            starts.append(offset)
        }
        return (starts, wide)
    }

    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// libyaml's anchor characters: ASCII letters, digits, `_` and `-`.
    private static func isAnchorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
