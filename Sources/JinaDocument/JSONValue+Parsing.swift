extension JSONValue {
    /// Parses JSON text (RFC 8259, strict: no trailing commas, comments, NaN or Infinity).
    ///
    /// Errors name the line and column (1-based, in characters) in the message; their path is
    /// empty. Nesting is limited to 512 levels so hostile input cannot exhaust the stack.
    public init(parsing text: some StringProtocol) throws(DocumentError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// Parses JSON from UTF-8 bytes; invalid UTF-8 inside strings becomes U+FFFD.
    public init(parsing bytes: [UInt8]) throws(DocumentError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
struct JSONParser {
    static let maxDepth = 512

    let bytes: [UInt8]
    var offset = 0
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(DocumentError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        if offset < bytes.count { throw error("unexpected text after the JSON value") }
        return value
    }

    private mutating func parseValue() throws(DocumentError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    private mutating func parseObject() throws(DocumentError) -> JSONValue {
        try enter()
        offset += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':'") }
            offset += 1
            members[key] = try parseValue()  // a repeated key keeps its last value, as Python
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; depth -= 1; return .object(members)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(DocumentError) -> JSONValue {
        try enter()
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; depth -= 1; return .array(elements)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(DocumentError) -> JSONValue {
        let start = offset
        var integral = true
        if peek() == UInt8(ascii: "-") { offset += 1 }
        if peek() == UInt8(ascii: "0") {
            offset += 1
        } else if !skipDigits() {
            throw error("invalid number")
        }
        if peek() == UInt8(ascii: ".") {
            integral = false
            offset += 1
            guard skipDigits() else { throw error("invalid number: expected digits after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard skipDigits() else { throw error("invalid number: expected exponent digits") }
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        if integral, let value = Int(text) { return .integer(value) }
        guard let value = Double(text) else { throw error("invalid number", at: start) }
        return .number(value)
    }

    private mutating func parseString() throws(DocumentError) -> String {
        offset += 1  // the opening quote
        var out: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                offset += 1
                try parseEscape(into: &out)
            case 0..<0x20:
                throw error("control character in string")
            default:
                out.append(byte)
                offset += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(DocumentError) {
        guard let byte = peek() else { throw error("unterminated string") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var code = try parseHex4()
            if (0xD800..<0xDC00).contains(code), bytes[offset...].starts(with: [0x5C, 0x75]) {
                let saved = offset
                offset += 2
                let low = try parseHex4()
                if (0xDC00..<0xE000).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    offset = saved  // not a pair: the high surrogate alone becomes U+FFFD
                }
            }
            UTF8.encode(Unicode.Scalar(code) ?? "\u{FFFD}") { out.append($0) }
        default:
            throw error("invalid escape in string", at: offset - 1)
        }
    }

    private mutating func parseHex4() throws(DocumentError) -> UInt32 {
        guard offset + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
        else { throw error("invalid \\u escape") }
        offset += 4
        return value
    }

    private mutating func expectWord(_ word: String) throws(DocumentError) {
        let expected = Array(word.utf8)
        guard bytes[offset...].starts(with: expected) else { throw error("unexpected character") }
        offset += expected.count
    }

    /// Skips one or more digits; false when there were none.
    private mutating func skipDigits() -> Bool {
        let start = offset
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { offset += 1 }
        return offset > start
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
    }

    private mutating func enter() throws(DocumentError) {
        depth += 1
        if depth > Self.maxDepth { throw error("nested too deeply (more than \(Self.maxDepth) levels)") }
    }

    private func peek() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    /// An error at `position` (default: the current offset), located by line and column.
    private func error(_ message: String, at position: Int? = nil) -> DocumentError {
        let end = min(position ?? offset, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<end] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {  // count characters, not UTF-8 continuation bytes
                column += 1
            }
        }
        return DocumentError("invalid JSON at line \(line), column \(column): \(message)")
    }
}
