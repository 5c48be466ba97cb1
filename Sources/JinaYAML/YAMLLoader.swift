import CLibYAML

/// Reads YAML text into a `YAMLNode` tree with line:column marks, using the system libyaml.
///
/// What it adds to libyaml, so that a Flow YAML means here what it means to Python Jina:
/// plain scalars are typed by PyYAML's YAML 1.1 rules (`ScalarResolver`); aliases and `<<`
/// merge keys are expanded within `YAMLLimits`, and a cyclic alias is an error; duplicate
/// keys and a second document are errors; tags libyaml fills in by default are dropped, so
/// `YAMLNode.tag` holds only tags written in the file (core ones as `!!int`, others as
/// written, e.g. `!Flow`).
public enum YAMLLoader {
    /// The single document in `text`, or nil when the text holds none (empty, or only comments).
    ///
    /// - Throws: the first problem found, with its position: a syntax error, a duplicate key,
    ///   a second document, a cyclic alias, a tree beyond `limits`, or a scalar that its explicit
    ///   tag cannot read (`!!int abc`).
    public static func load(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> YAMLNode? {
        let source = SourceText(text)
        // libyaml insists on a non-NULL input pointer, which an empty array need not give.
        guard !source.bytes.isEmpty else { return nil }
        let result = source.bytes.withUnsafeBufferPointer { input in
            // libyaml reads straight from `input`, which stays alive until this closure returns.
            Result { () throws(YAMLError) in try load(input, source: source, limits: limits) }
        }
        return try result.get()
    }

    /// All libyaml use, kept synchronous and in one place: its structs are not `Sendable` and
    /// point into each other, so only Swift values leave this function.
    private static func load(
        _ input: UnsafeBufferPointer<UInt8>, source: SourceText, limits: YAMLLimits
    ) throws(YAMLError) -> YAMLNode? {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(message: "out of memory while reading YAML", mark: nil)
        }
        defer { yaml_parser_delete(parser) }
        let feeder = UnsafeMutablePointer<ChunkedInput>.allocate(capacity: 1)
        feeder.initialize(to: ChunkedInput(input: input, parser: parser, maxFlowLevel: limits.maxDepth))
        defer { feeder.deallocate() }
        ChunkedInput.install(feeder)

        let document = UnsafeMutablePointer<yaml_document_t>.allocate(capacity: 1)
        defer { document.deallocate() }
        // On failure yaml_parser_load frees what it built itself; only a loaded document is ours.
        guard yaml_parser_load(parser, document) == 1 else {
            throw failure(parser, feeder, source: source, limits: limits)
        }
        defer { yaml_document_delete(document) }
        guard yaml_document_get_root_node(document) != nil else { return nil }

        try rejectSecondDocument(parser, feeder, source: source, limits: limits)
        var converter = DocumentConverter(document: document, source: source, limits: limits)
        return try converter.convertRoot()
    }

    /// A Flow is one document; a second one is far more likely a pasting mistake than intended.
    private static func rejectSecondDocument(
        _ parser: UnsafeMutablePointer<yaml_parser_t>, _ feeder: UnsafeMutablePointer<ChunkedInput>,
        source: SourceText, limits: YAMLLimits
    ) throws(YAMLError) {
        let next = UnsafeMutablePointer<yaml_document_t>.allocate(capacity: 1)
        defer { next.deallocate() }
        guard yaml_parser_load(parser, next) == 1 else {
            throw failure(parser, feeder, source: source, limits: limits)
        }
        defer { yaml_document_delete(next) }
        guard yaml_document_get_root_node(next) != nil else { return }
        let start = next.pointee.start_mark
        throw YAMLError(
            message: "only one YAML document is allowed",
            mark: source.mark(line: start.line, scalarColumn: start.column),
            hint: "remove the second document (from this line on), or put it in a file of its own")
    }

    /// Why libyaml stopped: our own depth stop (reported like the converter's), or its error.
    private static func failure(
        _ parser: UnsafeMutablePointer<yaml_parser_t>, _ feeder: UnsafeMutablePointer<ChunkedInput>,
        source: SourceText, limits: YAMLLimits
    ) -> YAMLError {
        guard feeder.pointee.stoppedForDepth else { return YAMLError(parser: parser, source: source) }
        // libyaml stops right after the bracket that crossed the limit: point at the bracket.
        let at = parser.pointee.mark
        let before = at.column > 0 ? source.byte(line: at.line, scalarColumn: at.column - 1) : nil
        let isBracket = before == UInt8(ascii: "[") || before == UInt8(ascii: "{")
        return YAMLError(
            message: "nesting is deeper than \(limits.maxDepth) levels",
            mark: source.mark(line: at.line, scalarColumn: isBracket ? at.column - 1 : at.column))
    }
}
