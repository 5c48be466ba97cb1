public import Logging
public import JinaCore

/// How log lines look: `text` for people, `json` (one object per line) for machines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// Where a process's log lines go and which ones: the same for `jina flow`, `jina gateway`,
/// `jina executor` and custom executor programs, which get it from `jina flow` as flags.
public struct LoggingConfiguration: Sendable, Equatable {
    public var format: LogFormat
    public var level: Logger.Level
    /// Only errors (and worse) are logged.
    public var quiet: Bool

    public init(format: LogFormat = .text, level: Logger.Level = .info, quiet: Bool = false) {
        self.format = format
        self.level = level
        self.quiet = quiet
    }

    /// The level lines must reach to be written.
    public var effectiveLevel: Logger.Level { quiet ? max(level, .error) : level }

    /// The configuration when no flag is given: level from `JINA_LOG_LEVEL` (Jina's variable),
    /// default info.
    public static func fromEnvironment(_ environment: [String: String]) -> LoggingConfiguration {
        LoggingConfiguration(level: environment["JINA_LOG_LEVEL"].flatMap(parseLevel) ?? .info)
    }

    /// `debug`, `info`, `warning`/`warn`, `error`, `critical`, `trace`, `notice`, any case.
    public static func parseLevel(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "trace": .trace
        case "debug": .debug
        case "info": .info
        case "notice": .notice
        case "warning", "warn": .warning
        case "error": .error
        case "critical", "fatal": .critical
        default: nil
        }
    }

    /// Sets the logging flags of an executor's command line to this configuration.
    public func apply(to invocation: inout ExecutorInvocation) {
        invocation.logFormat = format.rawValue
        invocation.logLevel = level.rawValue
        invocation.quiet = quiet
    }

    /// The flags that give a child process this configuration.
    public var arguments: [String] {
        var flags = ["--log-format", format.rawValue, "--log-level", level.rawValue]
        if quiet { flags.append("--quiet") }
        return flags
    }

    /// A logger writing to standard error in this format, with `metadata` on every line.
    public func logger(label: String, metadata: Logger.Metadata = [:]) -> Logger {
        var logger = Logger(label: label) { label in
            var handler = JinaLogHandler(label: label, format: format, metadata: metadata)
            handler.metadataProvider = RequestTracing.logMetadata
            return handler
        }
        logger.logLevel = effectiveLevel
        return logger
    }

    /// Makes every `Logger` the process creates (in libraries too) use this configuration.
    /// Only the first call in a process has an effect.
    public func bootstrap() {
        guard LoggingBootstrap.claim() else { return }
        let format = self.format
        let level = effectiveLevel
        LoggingSystem.bootstrap { label in
            var handler = JinaLogHandler(label: label, format: format)
            handler.logLevel = level
            handler.metadataProvider = RequestTracing.logMetadata
            return handler
        }
    }
}

import Synchronization

private enum LoggingBootstrap {
    static let done = Mutex(false)
    static func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
