import Foundation
import JinaCore
@testable import JinaGateway
import Testing

@Suite("Bearer tokens: loading, rotation, comparison")
struct TokenSetTests {
    @Test("tokens from an environment variable (comma-separated) and a file (comments, blanks) are combined")
    func load() throws {
        let path = NSTemporaryDirectory() + "tokens-\(UUID().uuidString)"
        try "# rotation\nnew-token\n\n  old-token  \n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tokens = try #require(try TokenSet.load(environmentVariable: "T", file: path, environment: ["T": "a, b"]))
        #expect(tokens.count == 4)
        for token in ["a", "b", "new-token", "old-token"] { #expect(tokens.accepts(token)) }
        #expect(!tokens.accepts("# rotation") && !tokens.accepts("") && !tokens.accepts("new-toke"))
        #expect(try TokenSet.load(environmentVariable: nil, file: nil) == nil)
    }

    @Test("a missing variable, an empty file or an unreadable one is an error, never an open gateway")
    func failures() throws {
        #expect(throws: GatewayError.self) { try TokenSet.load(environmentVariable: "NOPE", file: nil, environment: [:]) }
        #expect(throws: GatewayError.self) { try TokenSet.load(environmentVariable: nil, file: "/nonexistent/tokens") }
        let path = NSTemporaryDirectory() + "tokens-\(UUID().uuidString)"
        try "# only a comment\n\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GatewayError.self) { try TokenSet.load(environmentVariable: nil, file: path) }
    }

    @Test("a token file other users can read is a warning naming it; mode 600 is none")
    func readableTokenFileWarns() throws {
        let path = NSTemporaryDirectory() + "tokens-\(UUID().uuidString)"
        try "secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var gateway = GatewaySpec()
        gateway.tokenFile = path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(try GatewaySecurity.load(gateway, environment: [:]).warnings
                == ["token_file \(path) can be read by other users (mode 644): `chmod 600 \(path)`"])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try GatewaySecurity.load(gateway, environment: [:]).warnings.isEmpty)
    }

    @Test("Authorization headers: Bearer scheme in any case, exact token only")
    func authorization() {
        let tokens = TokenSet(["s3cret"])
        #expect(tokens.acceptsAuthorization("Bearer s3cret"))
        #expect(tokens.acceptsAuthorization("bearer s3cret"))
        #expect(!tokens.acceptsAuthorization("Bearer s3cre"))
        #expect(!tokens.acceptsAuthorization("Basic s3cret"))
        #expect(!tokens.acceptsAuthorization("s3cret"))
        #expect(!tokens.acceptsAuthorization(nil))
        let security = GatewaySecurity(tokens: tokens, exempt: ["/", "/docs*"])
        #expect(security.allows(path: "/", authorization: nil))
        #expect(security.allows(path: "/docs/x", authorization: nil))
        #expect(!security.allows(path: "/index", authorization: nil))
        #expect(security.allows(path: "/index", authorization: "Bearer s3cret"))
        #expect(GatewaySecurity().allows(path: "/index", authorization: nil))
    }
}
