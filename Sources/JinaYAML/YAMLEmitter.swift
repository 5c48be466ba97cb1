import CLibYAML

/// Writes `YAMLValue` documents as YAML text with the system libyaml's emitter.
///
/// libyaml decides what the syntax allows (it quotes `a: b`, `#x`, `*x` itself); this type adds
/// what libyaml cannot know: which plain text another reader would type as something other than
/// a string. A string is written plain only when it reads back as the same string under YAML 1.1
/// (PyYAML, our `YAMLLoader`, Kubernetes' YAML 1.1-leaning parser) and YAML 1.2 alike; `yes`,
/// `on`, `1e3`, `0x1F`, `1:30`, `null`, `=` and the empty string are quoted. Multi-line strings
/// use the literal block style (`|`). Lines are never folded.
public enum YAMLEmitter {
    /// One document.
    public static func emit(_ value: YAMLValue) -> String {
        emit(documents: [value], explicitStart: false)
    }

    /// Several documents in one stream; with `explicitStart` each begins with `---`
    /// (the form of multi-document Kubernetes manifests).
    public static func emit(documents: [YAMLValue], explicitStart: Bool = true) -> String {
        var output: [UInt8] = []
        withUnsafeMutablePointer(to: &output) { sink in
            let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
            defer { emitter.deallocate() }
            guard yaml_emitter_initialize(emitter) == 1 else { fatalError("libyaml: out of memory") }
            defer { yaml_emitter_delete(emitter) }
            yaml_emitter_set_output(emitter, { data, buffer, size in
                guard let data, let buffer else { return 1 }
                let sink = data.assumingMemoryBound(to: [UInt8].self)
                sink.pointee.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
                return 1
            }, sink)
            yaml_emitter_set_unicode(emitter, 1)
            yaml_emitter_set_width(emitter, -1)
            yaml_emitter_set_indent(emitter, 2)
            var writer = EventWriter(emitter: emitter)
            writer.streamStart()
            for document in documents {
                writer.documentStart(implicit: !explicitStart)
                writer.value(document)
                writer.documentEnd()
            }
            writer.streamEnd()
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `text` must be quoted to read back as this string (see the type's summary).
    public static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return true }
        if case .string = ScalarResolver.resolve(plain: text) {} else { return true }
        if ambiguousWords.contains(text.lowercased()) { return true }
        // Text that starts like a number is quoted when it could be one to some reader (YAML
        // 1.2 floats `1e3`, octals `0o17`, 1.1 timestamps `2024-01-31 10:00`, sexagesimals);
        // `100m` or `128Mi` cannot, and stay plain.
        let startsLikeNumber: Bool
        if ("0"..."9").contains(first) || first == "." || first == "+" {
            startsLikeNumber = true
        } else if first == "-" {
            guard let second = text.unicodeScalars.dropFirst().first else { return true }
            startsLikeNumber = ("0"..."9").contains(second) || second == "."
        } else {
            startsLikeNumber = false
        }
        return startsLikeNumber && text.unicodeScalars.allSatisfy(numberLike.contains)
    }

    /// Characters of every YAML number and timestamp form.
    private static let numberLike = Set("0123456789abcdefABCDEF+-._: oOxXtTzZ".unicodeScalars)

    /// Words YAML 1.1 or 1.2 readers type as booleans, nulls or special numbers, in lower case.
    private static let ambiguousWords: Set<String> = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<",
        ".inf", "-.inf", "+.inf", ".nan",
    ]
}

/// Sends events to libyaml; an emitter error here is a bug (every event sequence is well formed
/// and output only appends to memory), so it traps with libyaml's message.
private struct EventWriter {
    let emitter: UnsafeMutablePointer<yaml_emitter_t>
    private var event = yaml_event_t()

    init(emitter: UnsafeMutablePointer<yaml_emitter_t>) {
        self.emitter = emitter
    }

    mutating func streamStart() {
        check(yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING))
        emit()
    }

    mutating func streamEnd() {
        check(yaml_stream_end_event_initialize(&event))
        emit()
    }

    mutating func documentStart(implicit: Bool) {
        check(yaml_document_start_event_initialize(&event, nil, nil, nil, implicit ? 1 : 0))
        emit()
    }

    mutating func documentEnd() {
        check(yaml_document_end_event_initialize(&event, 1))
        emit()
    }

    mutating func value(_ value: YAMLValue) {
        switch value {
        case .null: scalar("null", style: YAML_PLAIN_SCALAR_STYLE)
        case .bool(let flag): scalar(flag ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
        case .int(let number): scalar(String(number), style: YAML_PLAIN_SCALAR_STYLE)
        case .double(let number): scalar(Self.floatText(number), style: YAML_PLAIN_SCALAR_STYLE)
        case .string(let text): string(text)
        case .sequence(let items):
            check(yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_ANY_SEQUENCE_STYLE))
            emit()
            for item in items { self.value(item) }
            check(yaml_sequence_end_event_initialize(&event))
            emit()
        case .mapping(let mapping):
            check(yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_ANY_MAPPING_STYLE))
            emit()
            for entry in mapping.entries {
                string(entry.key)
                self.value(entry.value)
            }
            check(yaml_mapping_end_event_initialize(&event))
            emit()
        }
    }

    private mutating func string(_ text: String) {
        if text.contains("\n") {
            scalar(text, style: YAML_LITERAL_SCALAR_STYLE, plainImplicit: false)
        } else if YAMLEmitter.needsQuotes(text) {
            scalar(text, style: YAML_SINGLE_QUOTED_SCALAR_STYLE, plainImplicit: false)
        } else {
            scalar(text, style: YAML_PLAIN_SCALAR_STYLE)
        }
    }

    /// With `plainImplicit` false libyaml never chooses the plain style for the scalar.
    private mutating func scalar(_ text: String, style: yaml_scalar_style_t, plainImplicit: Bool = true) {
        // libyaml copies the value; the trailing NUL keeps the pointer valid for empty text.
        var bytes = Array(text.utf8)
        let count = Int32(bytes.count)
        bytes.append(0)
        bytes.withUnsafeBufferPointer { buffer in
            check(yaml_scalar_event_initialize(&event, nil, nil, buffer.baseAddress, count, plainImplicit ? 1 : 0, 1, style))
        }
        emit()
    }

    private mutating func emit() {
        guard yaml_emitter_emit(emitter, &event) == 1 else {
            var problem = "unknown error"
            if let text = emitter.pointee.problem {
                var length = 0
                while text[length] != 0 { length += 1 }
                problem = String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
            }
            fatalError("libyaml emitter: \(problem)")
        }
    }

    private func check(_ result: Int32) {
        if result != 1 { fatalError("libyaml: out of memory") }
    }

    /// A float as PyYAML reads one back: always a dot before any exponent (`1.0e-05`).
    static func floatText(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        var text = "\(number)"
        if let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<exponent].contains(".") {
            text.insert(contentsOf: ".0", at: exponent)
        }
        if let exponent = text.firstIndex(of: "e"), text[text.index(after: exponent)] != "-",
           text[text.index(after: exponent)] != "+" {
            text.insert("+", at: text.index(after: exponent))
        }
        return text
    }
}
