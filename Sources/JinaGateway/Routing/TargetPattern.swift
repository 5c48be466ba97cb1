#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A client's `target_executor`, matched against executor names as Jina's `re.match` does, but
/// without backtracking: the pattern comes from whoever sends a request, and a backtracking
/// engine (Python's `re`, Swift's `Regex`) takes exponential time on patterns such as `(.|.)*x`
/// against an executor name of 30 characters. The pattern is translated to a POSIX extended
/// expression and run by the C library's automaton, whose time grows with the name's length,
/// not exponentially.
///
/// What translates: literals, `.`, `[…]` (with `\d`, `\w`, `\s` inside), `\d \D \w \W \s \S`,
/// escaped metacharacters, groups and `(?:…)`, `|`, `* + ? {m,n}` and their lazy forms (the same
/// answer for a yes/no match). What does not — lookarounds, backreferences, `\b`, inline flags,
/// a pattern over 1,024 bytes — makes `init` fail, and the target is compared as a plain name
/// (as Jina treats a target that is no valid pattern).
final class TargetPattern: @unchecked Sendable {
    // Compiled once; regexec only reads it (glibc's regexec is MT-safe).
    private var compiled = regex_t()

    static let maxLength = 1024

    init?(_ pattern: String) {
        guard pattern.utf8.count <= Self.maxLength, let posix = Self.translate(pattern) else { return nil }
        // Anchored at the start, as `re.match`.
        guard regcomp(&compiled, "^(" + posix + ")", REG_EXTENDED | REG_NOSUB) == 0 else { return nil }
    }

    deinit {
        regfree(&compiled)
    }

    /// Whether `name` matches at its start.
    func matchesPrefix(_ name: String) -> Bool {
        regexec(&compiled, name, 0, nil, 0) == 0
    }

    /// The POSIX extended form of a Python pattern; nil for what POSIX cannot say.
    static func translate(_ pattern: String) -> String? {
        var out = ""
        var chars = Array(pattern.unicodeScalars)[...]
        var afterQuantifiable = false
        while let char = chars.popFirst() {
            switch char {
            case "\\":
                guard let next = chars.popFirst() else { return nil }
                guard let text = escape(next, inBrackets: false) else { return nil }
                out += text
                afterQuantifiable = true
            case "[":
                guard let bracket = bracketExpression(&chars) else { return nil }
                out += bracket
                afterQuantifiable = true
            case "(":
                if chars.first == "?" {
                    chars.removeFirst()
                    // Only a non-capturing group; lookarounds, names and flags do not translate.
                    guard chars.popFirst() == ":" else { return nil }
                }
                out += "("
                afterQuantifiable = false
            case "*", "+", "?":
                // A quantifier on nothing is not a pattern (Python refuses it too).
                guard afterQuantifiable else { return nil }
                out.unicodeScalars.append(char)
                if chars.first == "?" { chars.removeFirst() }  // lazy: the same yes/no answer
                afterQuantifiable = false
            case "{":
                guard afterQuantifiable, let close = chars.firstIndex(of: "}") else { return nil }
                let bounds = String(String.UnicodeScalarView(chars[..<close]))
                guard bounds.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ",") }), bounds.first?.isNumber == true else {
                    return nil
                }
                out += "{" + bounds + "}"
                chars = chars[chars.index(after: close)...]
                if chars.first == "?" { chars.removeFirst() }
                afterQuantifiable = false
            case ")", "|", "^":
                out.unicodeScalars.append(char)
                afterQuantifiable = char == ")"
            default:
                out.unicodeScalars.append(char)
                afterQuantifiable = true
            }
        }
        return out
    }

    /// `\x` outside or inside `[…]`: a class, or the character itself when it is not a letter or
    /// digit; nil for what has no POSIX form (`\b`, backreferences…).
    private static func escape(_ char: Unicode.Scalar, inBrackets: Bool) -> String? {
        switch char {
        case "d": inBrackets ? "0-9" : "[0-9]"
        case "w": inBrackets ? "[:alnum:]_" : "[[:alnum:]_]"
        case "s": inBrackets ? "[:space:]" : "[[:space:]]"
        case "D": inBrackets ? nil : "[^0-9]"
        case "W": inBrackets ? nil : "[^[:alnum:]_]"
        case "S": inBrackets ? nil : "[^[:space:]]"
        case "n": "\n"
        case "t": "\t"
        default:
            if char.properties.isAlphabetic || ("0"..."9").contains(char) { nil }
            else if inBrackets { char == "]" || char == "\\" || char == "^" || char == "-" ? nil : String(char) }
            else { "\\" + String(char) }
        }
    }

    /// `[…]` after its `[`; nil when it does not close or holds what POSIX cannot say.
    private static func bracketExpression(_ chars: inout ArraySlice<Unicode.Scalar>) -> String? {
        var out = "["
        if chars.first == "^" {
            chars.removeFirst()
            out += "^"
        }
        var first = true
        while let char = chars.popFirst() {
            switch char {
            case "]" where !first:
                return out + "]"
            case "\\":
                guard let next = chars.popFirst(), let text = escape(next, inBrackets: true) else { return nil }
                out += text
            case "[":
                // POSIX reads `[:`, `[=`, `[.` as its own syntax.
                guard !(chars.first == ":" || chars.first == "=" || chars.first == ".") else { return nil }
                out += "["
            default:
                out.unicodeScalars.append(char)
            }
            first = false
        }
        return nil
    }
}
