#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import Logging

/// Writes one line per event to standard error (or to `sink`):
///
/// * text: `2026-11-29T14:05:01.123Z info  encoder/rep-0: message  request_id=… endpoint=/`
/// * json: `{"time":"…","level":"info","logger":"encoder/rep-0","message":"…","request_id":"…"}`
///   — metadata become fields (a newline in the message is escaped: one line per event).
public struct JinaLogHandler: LogHandler {
    public var metadata: Logger.Metadata
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    public let format: LogFormat
    private let sink: @Sendable (String) -> Void

    public init(
        label: String, format: LogFormat, metadata: Logger.Metadata = [:],
        sink: @escaping @Sendable (String) -> Void = JinaLogHandler.writeToStandardError
    ) {
        self.label = label
        self.format = format
        self.metadata = metadata
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        // swift-log's `error:` argument (swift-otel reports failed exports with it): shown as
        // an `error` field unless the message's metadata has one already.
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        sink(line(level: event.level, message: event.message.description, metadata: merged, time: Self.timestamp()))
    }

    /// The line for one event (without the trailing newline, which `sink` gets too).
    func line(level: Logger.Level, message: String, metadata: Logger.Metadata, time: String) -> String {
        let keys = metadata.keys.sorted()
        switch format {
        case .text:
            // Messages and values may carry what a client sent (request ids, endpoints): control
            // characters are escaped so that no one can add lines or terminal sequences.
            var text = "\(time) \(level.rawValue.padding(8)) \(label): \(Self.escapingControls(message))"
            for key in keys { text += " \(key)=\(Self.escapingControls("\(metadata[key]!)"))" }
            return text + "\n"
        case .json:
            var text = "{\"time\":\(JSONText.quote(time)),\"level\":\(JSONText.quote(level.rawValue))"
            text += ",\"logger\":\(JSONText.quote(label)),\"message\":\(JSONText.quote(message))"
            for key in keys where !["time", "level", "logger", "message"].contains(key) {
                text += ",\(JSONText.quote(key)):\(JSONText.value(metadata[key]!))"
            }
            return text + "}\n"
        }
    }

    /// `text` with what could forge a line or a terminal sequence written out: C0 and C1 control
    /// characters and DEL (`\n`, `\r`, `\u{1B}`…; tab is kept), line and paragraph separators,
    /// bidirectional overrides, and the backslash itself (`\\`, so an escape cannot be faked).
    /// Unchanged (and not copied) when it has none of them.
    static func escapingControls(_ text: String) -> String {
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 >= 0x7F || $0 == 0x5C }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: escaped += "\\n"
            case 0x0D: escaped += "\\r"
            case 0x5C: escaped += "\\\\"
            case 0x09: escaped += "\t"
            case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// UTC, millisecond precision, ISO 8601.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        let fraction = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }

    /// One `write` per line, so lines of concurrent tasks and processes do not interleave.
    public static let writeToStandardError: @Sendable (String) -> Void = { text in
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Minimal JSON writing for log lines.
enum JSONText {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func value(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quote(text)
        case .stringConvertible(let convertible): quote(convertible.description)
        case .array(let items): "[" + items.map(Self.value).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.keys.sorted().map { "\(quote($0)):\(Self.value(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }
}
