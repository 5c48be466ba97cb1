import Foundation
import Logging
import Synchronization
import Testing
@testable import JinaObservability

@Suite struct JinaLogHandlerTests {
    final class Lines: Sendable {
        let value = Mutex<[String]>([])
        var all: [String] { value.withLock { $0 } }
        func add(_ line: String) { value.withLock { $0.append(line) } }
    }

    static func logger(_ format: LogFormat, _ lines: Lines, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "enc/rep-1") { label in
            JinaLogHandler(label: label, format: format, metadata: ["executor": "enc", "replica": "1"], sink: lines.add)
        }
        logger.logLevel = level
        return logger
    }

    @Test func jsonLinesParseAndCarryTheFields() throws {
        let lines = Lines()
        let logger = Self.logger(.json, lines, level: .debug)
        logger.debug("request handled", metadata: ["request_id": "abc", "duration_ms": "1.5"])
        logger.error("two\nlines \"quoted\" \u{1}")
        #expect(lines.all.count == 2)
        for line in lines.all {
            #expect(line.hasSuffix("}\n"))
            #expect(line.dropLast().contains("\n") == false)
        }
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "debug")
        #expect(first["logger"] as? String == "enc/rep-1")
        #expect(first["message"] as? String == "request handled")
        #expect(first["executor"] as? String == "enc")
        #expect(first["replica"] as? String == "1")
        #expect(first["request_id"] as? String == "abc")
        #expect((first["time"] as? String)?.hasSuffix("Z") == true)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == "two\nlines \"quoted\" \u{1}")
    }

    @Test func textLinesNameTheLoggerAndMetadata() {
        let lines = Lines()
        Self.logger(.text, lines).info("ready", metadata: ["request_id": "r1"])
        let line = lines.all[0]
        #expect(line.contains(" info "))
        #expect(line.contains("enc/rep-1: ready"))
        #expect(line.hasSuffix(" executor=enc replica=1 request_id=r1\n"))
    }

    /// The error a caller passes with `error:` (as swift-otel does for a failed export) is in the
    /// line; metadata that names an error already wins.
    @Test func theErrorArgumentIsAField() throws {
        struct ExportFailed: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let lines = Lines()
        Self.logger(.text, lines).warning("Failed to export batch.", error: ExportFailed())
        Self.logger(.text, lines).warning("two errors", error: ExportFailed(), metadata: ["error": "own"])
        let json = Lines()
        Self.logger(.json, json).error("Failed to export batch.", error: ExportFailed())
        #expect(lines.all[0].hasSuffix(" error=connection refused executor=enc replica=1\n"))
        #expect(lines.all[1].contains(" error=own ") && !lines.all[1].contains("refused"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.all[0].utf8)) as? [String: Any])
        #expect(object["error"] as? String == "connection refused")
    }

    /// A client's request id or endpoint cannot add a log line or a terminal escape sequence.
    @Test func textLinesEscapeControlCharacters() {
        let lines = Lines()
        Self.logger(.text, lines).error("request x\n2026-01-01T00:00:00.000Z info fake: forged failed\u{1B}[31m",
                                        metadata: ["request_id": "a\r\nb", "endpoint": "/e\u{7F}\tz"])
        #expect(lines.all.count == 1)
        let line = lines.all[0]
        #expect(line.dropLast().contains("\n") == false && !line.contains("\u{1B}") && !line.contains("\r"))
        #expect(line.contains("request x\\n2026-01-01T00:00:00.000Z info fake: forged failed\\u{1B}[31m"))
        #expect(line.contains("request_id=a\\r\\nb") && line.contains("endpoint=/e\\u{7F}\tz"))
        #expect(JinaLogHandler.escapingControls("plain tab\tand ü") == "plain tab\tand ü")
        // A client's literal backslash-n cannot pass for an escaped newline; C1 controls, line
        // separators and bidi overrides are written out too.
        #expect(JinaLogHandler.escapingControls(#"a\nb"#) == #"a\\nb"#)
        #expect(JinaLogHandler.escapingControls("x\u{9B}31m\u{2028}y\u{202E}z") == #"x\u{9B}31m\u{2028}y\u{202E}z"#)
    }

    @Test func levelsAndQuiet() {
        #expect(LoggingConfiguration.parseLevel("WARNING") == .warning)
        #expect(LoggingConfiguration.parseLevel("nope") == nil)
        #expect(LoggingConfiguration(level: .debug, quiet: true).effectiveLevel == .error)
        #expect(LoggingConfiguration.fromEnvironment(["JINA_LOG_LEVEL": "DEBUG"]).level == .debug)
        #expect(LoggingConfiguration(format: .json, level: .warning, quiet: true).arguments
                == ["--log-format", "json", "--log-level", "warning", "--quiet"])
        let lines = Lines()
        Self.logger(.text, lines, level: .warning).info("hidden")
        #expect(lines.all.isEmpty)
    }
}
