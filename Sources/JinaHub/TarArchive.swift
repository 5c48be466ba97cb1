import Foundation

/// The tar format of a package layer (POSIX ustar, with pax `path` records for long names),
/// written reproducibly — sorted entries, mtime 0, owner 0 — so the same folder always packs
/// to the same digest; read back with the pax and GNU long-name extensions other tools
/// (oras, Python's tarfile) write. Links, devices and paths leaving the folder are refused.
public enum TarArchive {
    public enum EntryKind: Equatable, Sendable { case file, directory }

    public struct Entry: Equatable, Sendable {
        /// Relative, `/`-separated, no `.`/`..` parts; directories without a trailing slash.
        public var path: String
        public var kind: EntryKind
        /// Permission bits (0o755 for executables and folders, 0o644 otherwise).
        public var mode: Int
        public var contents: [UInt8]

        public init(path: String, kind: EntryKind, mode: Int, contents: [UInt8] = []) {
            self.path = path
            self.kind = kind
            self.mode = mode
            self.contents = contents
        }
    }

    public struct Problem: Error, Equatable, Sendable {
        public var message: String
    }

    // MARK: Writing

    /// The archive of `entries`, in the order given.
    public static func write(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
            let name = entry.kind == .directory ? entry.path + "/" : entry.path
            let split = ustarSplit(name)
            if split == nil {
                // pax extended header: "LEN path=NAME\n", LEN counting itself.
                let record = paxRecord("path", name)
                out += header(name: "PaxHeader", prefix: "", size: record.count, mode: 0o644, type: UInt8(ascii: "x"))
                out += record
                out += padding(record.count)
            }
            let (prefix, short) = split ?? ("", String(decoding: name.utf8.prefix(99), as: UTF8.self))
            out += header(name: short, prefix: prefix, size: entry.kind == .file ? entry.contents.count : 0,
                          mode: entry.mode, type: entry.kind == .file ? UInt8(ascii: "0") : UInt8(ascii: "5"))
            if entry.kind == .file {
                out += entry.contents
                out += padding(entry.contents.count)
            }
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    /// ustar keeps names of up to 100 bytes, or a prefix of up to 155 and a name of up to 100
    /// split at a `/`; nil when neither fits.
    private static func ustarSplit(_ name: String) -> (prefix: String, name: String)? {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ("", name) }
        for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "/") {
            let prefix = bytes[..<index], rest = bytes[(index + 1)...]
            if prefix.count <= 155, rest.count <= 100, !rest.isEmpty {
                return (String(decoding: prefix, as: UTF8.self), String(decoding: rest, as: UTF8.self))
            }
        }
        return nil
    }

    private static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).utf8.count + body.utf8.count != length { length += 1 }
        return Array((String(length) + body).utf8)
    }

    private static func padding(_ size: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: (512 - size % 512) % 512)
    }

    private static func header(name: String, prefix: String, size: Int, mode: Int, type: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            put(String(repeating: "0", count: max(0, width - 1 - String(value, radix: 8).count)) + String(value, radix: 8),
                at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)  // uid
        octal(0, at: 116, width: 8)  // gid
        octal(size, at: 124, width: 12)
        octal(0, at: 136, width: 12)  // mtime: 0, for reproducible digests
        block[156] = type
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put(prefix, at: 345, width: 155)
        for index in 148..<156 { block[index] = UInt8(ascii: " ") }
        let sum = block.reduce(0) { $0 + Int($1) }
        octal(sum, at: 148, width: 7)
        block[155] = UInt8(ascii: " ")
        return block
    }

    // MARK: Reading

    /// The entries of an archive, in archive order; `.`-only paths (the root) are left out.
    public static func read(_ bytes: [UInt8]) throws(Problem) -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        var pendingPath: String?
        var pendingSize: Int?
        while offset + 512 <= bytes.count {
            let block = bytes[offset..<(offset + 512)]
            if block.allSatisfy({ $0 == 0 }) { break }
            guard checksumMatches(block) else {
                throw Problem(message: "tar header at byte \(offset) has a wrong checksum (the layer is damaged or not a tar archive)")
            }
            let type = block[block.startIndex + 156]
            guard var size = number(block, 124, 12) else { throw Problem(message: "tar header at byte \(offset) has an invalid size") }
            if let pendingSize, type != UInt8(ascii: "x"), type != UInt8(ascii: "L") { size = pendingSize }
            let dataStart = offset + 512
            guard size >= 0, dataStart + size <= bytes.count else {
                throw Problem(message: "tar entry at byte \(offset) runs past the end of the layer (truncated?)")
            }
            let data = bytes[dataStart..<(dataStart + size)]
            offset = dataStart + ((size + 511) / 512) * 512
            switch type {
            case UInt8(ascii: "x"):
                for (key, value) in paxRecords(Array(data)) {
                    if key == "path" { pendingPath = value }
                    if key == "size", let number = Int(value) { pendingSize = number }
                }
                continue
            case UInt8(ascii: "g"):
                continue
            case UInt8(ascii: "L"):
                pendingPath = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                continue
            default:
                break
            }
            var name = pendingPath ?? {
                let prefix = string(block, 345, 155), short = string(block, 0, 100)
                return prefix.isEmpty ? short : prefix + "/" + short
            }()
            pendingPath = nil
            pendingSize = nil
            let kind: EntryKind
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "1"), UInt8(ascii: "2"):
                throw Problem(message: "`\(name)` is a link; packages hold only files and folders")
            default:
                throw Problem(message: "`\(name)` is a special file (tar type \(Character(Unicode.Scalar(type)))); packages hold only files and folders")
            }
            while name.hasSuffix("/") { name.removeLast() }
            guard let path = safePath(name) else {
                throw Problem(message: "`\(name)` would be written outside the package folder")
            }
            if path.isEmpty { continue }
            let mode = number(block, 100, 8) ?? 0o644
            entries.append(Entry(path: path, kind: kind, mode: mode & 0o777, contents: kind == .file ? Array(data) : []))
        }
        return entries
    }

    /// `name` without `./` parts; nil for absolute paths or `..` parts.
    static func safePath(_ name: String) -> String? {
        if name.hasPrefix("/") { return nil }
        var parts: [Substring] = []
        for part in name.split(separator: "/") where part != "." {
            if part == ".." { return nil }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    private static func checksumMatches(_ block: ArraySlice<UInt8>) -> Bool {
        guard let stored = number(block, 148, 8) else { return false }
        var sum = 0
        for (index, byte) in block.enumerated() {
            sum += (148..<156).contains(index) ? Int(UInt8(ascii: " ")) : Int(byte)
        }
        return sum == stored
    }

    /// An octal field (NUL/space terminated), or GNU base-256 for large sizes.
    private static func number(_ block: ArraySlice<UInt8>, _ offset: Int, _ width: Int) -> Int? {
        let field = block[(block.startIndex + offset)..<(block.startIndex + offset + width)]
        if let first = field.first, first & 0x80 != 0 {
            var value = Int(first & 0x7f)
            for byte in field.dropFirst() {
                guard value < Int.max >> 8 else { return nil }
                value = value << 8 | Int(byte)
            }
            return value
        }
        let text = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return 0 }
        return Int(text, radix: 8)
    }

    private static func string(_ block: ArraySlice<UInt8>, _ offset: Int, _ width: Int) -> String {
        let field = block[(block.startIndex + offset)..<(block.startIndex + offset + width)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func paxRecords(_ data: [UInt8]) -> [(String, String)] {
        var records: [(String, String)] = []
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: data[index..<space], as: UTF8.self)), length > 0,
                  index + length <= data.count else { break }
            let body = data[(space + 1)..<(index + length - 1)]
            if let equals = body.firstIndex(of: UInt8(ascii: "=")) {
                records.append((String(decoding: body[..<equals], as: UTF8.self),
                                String(decoding: body[(equals + 1)...], as: UTF8.self)))
            }
            index += length
        }
        return records
    }
}
