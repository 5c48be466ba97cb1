/// Types plain scalars the way PyYAML's YAML 1.1 resolver does, so a Flow YAML means the same
/// here as under Python Jina: `yes`/`Off` are booleans, `010` is octal, `0x1F` hex, `1_000` an
/// int, `1:30` sexagesimal, and `1e3` (no dot) or `1.0e3` (no exponent sign) stay strings.
///
/// Deliberate differences from PyYAML: timestamps (`2024-01-31`) and integers outside the 64-bit
/// range stay strings, since `ScalarValue` has neither dates nor big integers.
public enum ScalarResolver {
    /// The value of a plain (unquoted, untagged) scalar.
    public static func resolve(plain text: String) -> ScalarValue {
        // PyYAML dispatches on the first character; doing the same keeps the number matchers off most text.
        guard let first = text.first else { return .null }
        if nulls.contains(text) { return .null }
        if let bool = bools[text] { return .bool(bool) }
        guard "-+.0123456789".contains(first) else { return .string(text) }
        if NumberSyntax.isInt(text), let int = int(text) { return .int(int) }
        if NumberSyntax.isFloat(text), let float = float(text) { return .float(float) }
        return .string(text)
    }

    /// The value of a scalar given how it was written; nil when an explicit core tag (`!!int`,
    /// `!!float`, `!!bool`, `!!null`) cannot read the text. Tags are in display form (`!!str`).
    static func value(text: String, style: ScalarStyle, tag: String?) -> ScalarValue? {
        switch tag {
        case "!!str": return .string(text)
        case "!!null": return nulls.contains(text) ? .null : nil
        case "!!bool": return bools[text].map(ScalarValue.bool)
        case "!!int":
            guard NumberSyntax.isInt(text), let int = int(text) else { return nil }
            return .int(int)
        case "!!float":
            // PyYAML's float constructor accepts anything Python's float() reads, ints included.
            return float(text).map(ScalarValue.float)
        default:
            // Untagged or an application tag (`!Flow`): plain text is typed, quoted text is not.
            return style == .plain ? resolve(plain: text) : .string(text)
        }
    }

    private static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]

    private static let bools: [String: Bool] = [
        "yes": true, "Yes": true, "YES": true, "no": false, "No": false, "NO": false,
        "true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false,
        "on": true, "On": true, "ON": true, "off": false, "Off": false, "OFF": false,
    ]

    /// PyYAML's `construct_yaml_int` for text that `NumberSyntax.isInt` accepts; nil on overflow.
    private static func int(_ text: String) -> Int? {
        var (sign, digits) = signAndDigits(text)
        digits.removeAll { $0 == "_" }
        let magnitude: Int?
        if digits == "0" {
            magnitude = 0
        } else if digits.hasPrefix("0b") {
            magnitude = Int(digits.dropFirst(2), radix: 2)
        } else if digits.hasPrefix("0x") {
            magnitude = Int(digits.dropFirst(2), radix: 16)
        } else if digits.hasPrefix("0") {
            magnitude = Int(digits, radix: 8)
        } else if digits.contains(":") {
            magnitude = sexagesimalInt(digits)
        } else {
            // Parse with the sign so that Int.min, whose magnitude does not fit, still reads.
            return Int(sign < 0 ? "-" + digits : digits)
        }
        guard let magnitude else { return nil }
        let (result, overflow) = magnitude.multipliedReportingOverflow(by: sign)
        return overflow ? nil : result
    }

    /// PyYAML's `construct_yaml_float`: drop `_`, lower-case, then `.inf`, `.nan`, base 60 or decimal.
    private static func float(_ text: String) -> Double? {
        var (sign, digits) = signAndDigits(text.lowercased())
        digits.removeAll { $0 == "_" }
        if digits == ".inf" { return Double(sign) * .infinity }
        if digits == ".nan" { return .nan }
        if digits.contains(":") {
            var total = 0.0
            for part in digits.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = Double(part) else { return nil }
                total = total * 60 + digit
            }
            return Double(sign) * total
        }
        return Double(digits).map { Double(sign) * $0 }
    }

    private static func signAndDigits(_ text: String) -> (Int, String) {
        switch text.first {
        case "-": (-1, String(text.dropFirst()))
        case "+": (1, String(text.dropFirst()))
        default: (1, text)
        }
    }

    /// `1:30:15` → 1·3600 + 30·60 + 15; nil on overflow.
    private static func sexagesimalInt(_ text: String) -> Int? {
        var total = 0
        for part in text.split(separator: ":", omittingEmptySubsequences: false) {
            guard let digit = Int(part) else { return nil }
            let (shifted, o1) = total.multipliedReportingOverflow(by: 60)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            total = sum
        }
        return total
    }
}
