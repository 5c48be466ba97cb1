#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A client's `target_executor`, matched against executor names as Jina's `re.match` does, but
/// without backtracking: the pattern comes from whoever sends a request, and a backtracking
/// engine (Python's `re`, Swift's `Regex`) takes exponential time on patterns such as `(.|.)*x`
/// against an executor name of 30 characters. The pattern is translated to a POSIX extended
/// expression and run by the C library's automaton, whose time grows with the name's length,
/// not exponentially.
///
/// What translates: ASCII literals, `.`, `[…]` (with `\d`, `\w`, `\s` inside), `\d \D \w \W \s \S`,
/// escaped characters, groups and `(?:…)`, `|`, `^`, `$`, `* + ?` and their lazy forms (the same
/// answer for a yes/no match), and `{m,n}` up to 100, at most 8 of them and never one inside
/// another (the C library compiles a bounded repeat by copying its body: nested ones would make
/// a 20-byte pattern cost gigabytes). What does not — lookarounds, backreferences, `\b`, inline
/// flags, non-ASCII characters, unbalanced parentheses, a pattern over 1,024 bytes — makes
/// `init` fail, and the target is compared as a plain name (as Jina treats a target that is no
/// valid pattern).
final class TargetPattern: @unchecked Sendable {
    // Compiled once; regexec only reads it (glibc's regexec is MT-safe).
    private var compiled = regex_t()
    private var isCompiled = false

    static let maxLength = 1024
    static let maxRepeat = 100
    static let maxBoundedRepeats = 8

    init?(_ pattern: String) {
        guard pattern.utf8.count <= Self.maxLength, let posix = Self.translate(pattern) else { return nil }
        // Anchored at the start, as `re.match`.
        guard regcomp(&compiled, "^(" + posix + ")", REG_EXTENDED | REG_NOSUB) == 0 else { return nil }
        isCompiled = true
    }

    deinit {
        if isCompiled { regfree(&compiled) }
    }

    /// Whether `name` matches at its start.
    func matchesPrefix(_ name: String) -> Bool {
        regexec(&compiled, name, 0, nil, 0) == 0
    }

    /// The compiled pattern of `target` (nil: compare it as a name), kept for the next request
    /// with the same target (at most `cacheLimit` targets; the table starts over when full).
    static func cached(_ target: String) -> TargetPattern? {
        if let known = cache.withLock({ $0[target] }) { return known }
        let made = TargetPattern(target)
        cache.withLock { table in
            if table.count >= cacheLimit { table.removeAll(keepingCapacity: true) }
            table[target] = .some(made)
        }
        return made
    }

    private static let cache = Mutex<[String: TargetPattern?]>([:])
    static let cacheLimit = 256

    /// The POSIX extended form of a Python pattern; nil for what POSIX cannot say (or should not
    /// be asked to compile).
    static func translate(_ pattern: String) -> String? {
        var out = ""
        var chars = Array(pattern.unicodeScalars)[...]
        var afterQuantifiable = false
        // Per open group (the first is the whole pattern): whether it holds a bounded repeat.
        var groups = [false]
        // Whether the atom just written (a closed group) holds a bounded repeat.
        var atomHasBounds = false
        var boundedRepeats = 0
        while let char = chars.popFirst() {
            guard char.isASCII else { return nil }
            var closedGroupHasBounds = false
            switch char {
            case "\\":
                guard let next = chars.popFirst(), let text = escape(next, inBrackets: false) else { return nil }
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
                groups.append(false)
                afterQuantifiable = false
            case ")":
                // An unbalanced `)` is a literal to the C library but an error to Python.
                guard groups.count > 1 else { return nil }
                closedGroupHasBounds = groups.removeLast()
                if closedGroupHasBounds { groups[groups.count - 1] = true }
                out += ")"
                afterQuantifiable = true
            case "*", "+", "?":
                // A quantifier on nothing is not a pattern (Python refuses it too).
                guard afterQuantifiable else { return nil }
                out.unicodeScalars.append(char)
                if chars.first == "?" { chars.removeFirst() }  // lazy: the same yes/no answer
                afterQuantifiable = false
            case "{":
                guard afterQuantifiable, !atomHasBounds, boundedRepeats < maxBoundedRepeats,
                      let close = chars.firstIndex(of: "}") else { return nil }
                let bounds = String(String.UnicodeScalarView(chars[..<close]))
                let numbers = bounds.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                guard bounds.first?.isNumber == true,
                      numbers.allSatisfy({ $0.isEmpty || ($0.allSatisfy(\.isNumber) && (Int($0) ?? .max) <= maxRepeat) })
                else { return nil }
                out += "{" + bounds + "}"
                chars = chars[chars.index(after: close)...]
                if chars.first == "?" { chars.removeFirst() }
                boundedRepeats += 1
                groups[groups.count - 1] = true
                afterQuantifiable = false
            case "|", "^", "$":
                out.unicodeScalars.append(char)
                afterQuantifiable = false
            default:
                out.unicodeScalars.append(char)
                afterQuantifiable = true
            }
            atomHasBounds = closedGroupHasBounds
        }
        guard groups.count == 1 else { return nil }
        return out
    }

    /// `\x` outside or inside `[…]`: a class, or the character itself when it is not a letter or
    /// digit; nil for what has no POSIX form (`\b`, backreferences…). Outside brackets only the
    /// POSIX metacharacters keep their backslash (the C library reads `\<`, `\>`, `` \` `` and
    /// `\'` as anchors).
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
            if !char.isASCII || char.properties.isAlphabetic || ("0"..."9").contains(char) { nil }
            else if inBrackets { "]\\^-[".unicodeScalars.contains(char) ? nil : String(char) }
            else if ".[]()*+?{}|^$\\".unicodeScalars.contains(char) { "\\" + String(char) }
            else { String(char) }
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
            guard char.isASCII else { return nil }
            switch char {
            case "]" where !first:
                return out + "]"
            case "\\":
                guard let next = chars.popFirst(), let text = escape(next, inBrackets: true) else { return nil }
                // A class cannot start a range (`[\w-a]`; Python refuses it, POSIX would not).
                if text.count > 1, chars.first == "-", chars.dropFirst().first != "]" { return nil }
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
