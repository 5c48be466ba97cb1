import JinaCore
import Foundation

/// The bearer tokens a gateway accepts: from an environment variable (comma-separated) and/or
/// a file (one per line; blank lines and `#` comments ignored). Several tokens let a client move
/// to a new one before the old one is withdrawn. Never read from the Flow YAML itself.
public struct TokenSet: Sendable, Equatable {
    /// The accepted tokens, as bytes for the constant-time comparison.
    let tokens: [[UInt8]]

    /// A set accepting exactly `tokens` (empty strings dropped).
    public init(_ tokens: [String]) {
        self.tokens = tokens.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Whether any token is configured (auth is on).
    public var isEmpty: Bool { tokens.isEmpty }

    /// How many tokens are accepted.
    public var count: Int { tokens.count }

    /// Loads the tokens named by the gateway section: `token_env` and `token_file` (both may be
    /// given; their tokens are combined). Nil when neither is set (auth off).
    ///
    /// Throws `GatewayError` (invalid input) when the variable is unset or empty, or the file
    /// cannot be read or holds no token: a gateway asked to demand tokens never starts open.
    public static func load(
        environmentVariable: String?, file: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(GatewayError) -> TokenSet? {
        guard environmentVariable != nil || file != nil else { return nil }
        var tokens: [String] = []
        if let name = environmentVariable {
            let values = (environment[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard !values.isEmpty else {
                throw GatewayError(.invalidInput, "token_env: the environment variable \(name) is not set or holds no token",
                                   hint: "export \(name)=TOKEN (several tokens separated by commas)")
            }
            tokens += values
        }
        if let path = file {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw GatewayError(.invalidInput, "token_file: cannot read \(path): \(Self.reason(error))",
                                   hint: "give a readable file with one token per line")
            }
            let values = parseFile(text)
            guard !values.isEmpty else {
                throw GatewayError(.invalidInput, "token_file: \(path) holds no token",
                                   hint: "one token per line; blank lines and lines starting with # are ignored")
            }
            tokens += values
        }
        return TokenSet(tokens)
    }

    /// The tokens of a token file's text.
    static func parseFile(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Whether `candidate` is one of the tokens. Every token is compared in full, in time that
    /// depends only on the lengths, so a timing difference does not reveal a matching prefix.
    public func accepts(_ candidate: some StringProtocol) -> Bool {
        let bytes = Array(candidate.utf8)
        var matched: UInt8 = 0
        for token in tokens {
            matched |= Self.constantTimeEqual(token, bytes) ? 1 : 0
        }
        return matched == 1
    }

    /// Whether an `Authorization` header value (`Bearer TOKEN`, scheme case-insensitive)
    /// carries an accepted token.
    public func acceptsAuthorization(_ header: String?) -> Bool {
        guard let header else { return false }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return false }
        return accepts(trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces))
    }

    /// Compares all of both arrays whatever their contents (lengths are not secret).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(decoding: UnsafeRawBufferPointer(start: message, count: strlen(message)), as: UTF8.self)
        }
        return nsError.localizedDescription
    }
}
