import CLibYAML

extension YAMLError {
    /// The error a failed libyaml parser holds, in our words where libyaml's are cryptic.
    ///
    /// The message keeps libyaml's problem and adds its context with a position ("while parsing
    /// a flow sequence at 1:4: did not find expected ',' or ']'") because the problem mark alone
    /// often points at the line after the real mistake.
    init(parser: UnsafePointer<yaml_parser_t>, source: SourceText) {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "invalid YAML"
        switch state.error {
        case YAML_MEMORY_ERROR:
            self.init(message: "out of memory while reading YAML", mark: nil)
        case YAML_READER_ERROR:
            // Swift strings are valid UTF-8, so this is a forbidden character such as a control code.
            let value = state.problem_value
            let character = value >= 0 ? " (U+\(Self.hex(value)))" : ""
            self.init(
                message: problem + character,
                mark: source.mark(byteOffset: state.problem_offset),
                hint: "remove it, or write it as an escape in a double-quoted string (\"\\u\(Self.hex(max(value, 0)))\")")
        default:
            let mark = source.mark(line: state.problem_mark.line, scalarColumn: state.problem_mark.column)
            let byte = source.byte(line: state.problem_mark.line, scalarColumn: state.problem_mark.column)
            guard let rawContext = state.context else {
                self.init(message: problem, mark: mark, hint: Self.hint(problem, context: "", byte: byte, opened: nil))
                return
            }
            let context = String(cString: rawContext)
            let contextMark = source.mark(line: state.context_mark.line, scalarColumn: state.context_mark.column)
            if context.hasPrefix("found duplicate anchor") {
                self.init(
                    message: "duplicate anchor (first defined at \(contextMark))", mark: mark,
                    hint: "give each anchor (&name) its own name")
                return
            }
            // `[${{ ENV.P }}]`: inside [ … ] or { … } YAML reads the expression's braces as its own.
            if context.hasPrefix("while parsing a flow"),
               source.contains("${{", fromLine: state.context_mark.line, column: state.context_mark.column,
                               toLine: state.problem_mark.line) {
                self.init(
                    message: "\(context) at \(contextMark): \(problem)", mark: mark,
                    hint: "quote the ${{ … }} expression (e.g. ['${{ ENV.P }}']): inside [ … ] or { … } YAML reads its braces as its own; a quoted expression still takes the type of its value")
                return
            }
            self.init(
                message: "\(context) at \(contextMark): \(problem)", mark: mark,
                hint: Self.hint(problem, context: context, byte: byte, opened: contextMark))
        }
    }

    /// What to try for libyaml's most common complaints; `byte` is the one at the problem mark.
    private static func hint(_ problem: String, context: String, byte: UInt8?, opened: Mark?) -> String? {
        if byte == UInt8(ascii: "\t") || problem.contains("tab character") {
            return "indent with spaces: YAML does not allow tabs for indentation"
        }
        let at = opened.map { " at \($0)" } ?? ""
        switch problem {
        case "did not find expected key", "did not find expected '-' indicator":
            return "check the indentation: the keys of one mapping (or the items of one list) "
                + "must start in the same column"
        case "mapping values are not allowed in this context":
            return "check the indentation, and quote a value that contains ': '"
        case "did not find expected ',' or ']'":
            return "close the list opened\(at) with ']', or quote an item that contains ',' or ']'"
        case "did not find expected ',' or '}'":
            return "close the mapping opened\(at) with '}', or quote a value that contains ',' or '}'"
        case "found unexpected end of stream" where context.contains("quoted scalar"):
            return "close the quote opened\(at)"
        case "found undefined alias":
            return "define the anchor (&name) before an alias (*name) uses it"
        case "found character that cannot start any token"
        where byte == UInt8(ascii: "@") || byte == UInt8(ascii: "`"):
            return "quote a value that starts with '@' or '`'"
        default:
            return nil
        }
    }

    private static func hex(_ value: Int32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
