/// Matchers for PyYAML's YAML 1.1 int and float regexes (resolver.py), written by hand:
/// Swift's `Regex` is not `Sendable`, so it cannot be a shared constant, and recompiling one
/// per scalar would be slow. Each alternative of the regexes is one branch below:
///
///     int:   [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
///          | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
///     float: [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)? | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
///          | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
///
/// Greedy matching is exact here: no repeated part can give back characters that would let
/// what follows it match.
enum NumberSyntax {
    static func isInt(_ text: String) -> Bool {
        var cursor = Cursor(text)
        cursor.skipSign()
        if cursor.skip("0x") { return cursor.skip(while: isHexOrUnderscore) > 0 && cursor.atEnd }
        if cursor.skip("0b") { return cursor.skip(while: isBinaryOrUnderscore) > 0 && cursor.atEnd }
        if cursor.skip("0") { return cursor.atEnd || (cursor.skip(while: isOctalOrUnderscore) > 0 && cursor.atEnd) }
        guard cursor.skip(where: { $0 != ascii("0") && isDigit($0) }) else { return false }
        cursor.skip(while: isDigitOrUnderscore)
        return cursor.atEnd || (cursor.skipSexagesimalGroups() && cursor.atEnd)
    }

    static func isFloat(_ text: String) -> Bool {
        var cursor = Cursor(text)
        if cursor.skip(".") {  // unsigned: .5, .inf, .nan
            if cursor.skipAny(["inf", "Inf", "INF", "nan", "NaN", "NAN"]) { return cursor.atEnd }
            guard cursor.skip(where: isDigit) else { return false }
            cursor.skip(while: isDigitOrUnderscore)
            return cursor.skipOptionalExponent() && cursor.atEnd
        }
        cursor.skipSign()
        if cursor.skip(".") { return cursor.skipAny(["inf", "Inf", "INF"]) && cursor.atEnd }
        guard cursor.skip(where: isDigit) else { return false }
        cursor.skip(while: isDigitOrUnderscore)
        if cursor.skip(".") {
            cursor.skip(while: isDigitOrUnderscore)
            return cursor.skipOptionalExponent() && cursor.atEnd
        }
        guard cursor.skipSexagesimalGroups(), cursor.skip(".") else { return false }
        cursor.skip(while: isDigitOrUnderscore)
        return cursor.atEnd
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        var atEnd: Bool { index == bytes.count }

        func peek(_ ahead: Int = 0) -> UInt8? {
            index + ahead < bytes.count ? bytes[index + ahead] : nil
        }

        mutating func skip(where predicate: (UInt8) -> Bool) -> Bool {
            guard let byte = peek(), predicate(byte) else { return false }
            index += 1
            return true
        }

        @discardableResult
        mutating func skip(while predicate: (UInt8) -> Bool) -> Int {
            let start = index
            while skip(where: predicate) {}
            return index - start
        }

        mutating func skip(_ literal: String) -> Bool {
            guard bytes[index...].starts(with: literal.utf8) else { return false }
            index += literal.utf8.count
            return true
        }

        mutating func skipAny(_ literals: [String]) -> Bool {
            literals.contains { skip($0) }
        }

        mutating func skipSign() {
            _ = skip(where: { $0 == ascii("-") || $0 == ascii("+") })
        }

        /// `(?:[eE][-+][0-9]+)?`; false when an `e` starts an exponent that is not complete.
        mutating func skipOptionalExponent() -> Bool {
            guard skip(where: { $0 == ascii("e") || $0 == ascii("E") }) else { return true }
            guard skip(where: { $0 == ascii("-") || $0 == ascii("+") }) else { return false }
            return skip(while: isDigit) > 0
        }

        /// `(?::[0-5]?[0-9])+`
        mutating func skipSexagesimalGroups() -> Bool {
            var groups = 0
            while skip(":") {
                if let first = peek(), let second = peek(1),
                    (ascii("0")...ascii("5")).contains(first), isDigit(second) {
                    index += 2
                } else if !skip(where: isDigit) {
                    return false
                }
                groups += 1
            }
            return groups > 0
        }
    }
}

private func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }
private func isDigit(_ byte: UInt8) -> Bool { (ascii("0")...ascii("9")).contains(byte) }
private func isDigitOrUnderscore(_ byte: UInt8) -> Bool { isDigit(byte) || byte == ascii("_") }
private func isOctalOrUnderscore(_ byte: UInt8) -> Bool {
    (ascii("0")...ascii("7")).contains(byte) || byte == ascii("_")
}
private func isBinaryOrUnderscore(_ byte: UInt8) -> Bool {
    byte == ascii("0") || byte == ascii("1") || byte == ascii("_")
}
private func isHexOrUnderscore(_ byte: UInt8) -> Bool {
    isDigitOrUnderscore(byte) || (ascii("a")...ascii("f")).contains(byte) || (ascii("A")...ascii("F")).contains(byte)
}
