import Foundation
public import NIOSSL

/// How the client proves itself and whom it trusts: a bearer token (sent as
/// `Authorization: Bearer …` on HTTP and WebSocket, `authorization` metadata on gRPC) and, for
/// `grpcs`/`https`/`wss`, a CA certificate file to trust instead of the system trust store.
public struct ClientSecurity: Sendable, Equatable {
    public var token: String?
    /// A PEM file with the CA certificate(s) to trust; nil trusts the system store.
    public var caFile: String?

    public init(token: String? = nil, caFile: String? = nil) {
        self.token = token
        self.caFile = caFile
    }

    /// The `Authorization` header value, when there is a token.
    public var authorization: String? { token.map { "Bearer \($0)" } }

    /// Checks the CA file is there and readable PEM (invalid input, exit 2, otherwise), so a typo
    /// is reported before anything is sent.
    public func validate() throws(ClientError) {
        guard let caFile else { return }
        guard FileManager.default.isReadableFile(atPath: caFile) else {
            throw ClientError(.invalidInput, "--ca \(caFile): no such readable file")
        }
        do {
            _ = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw ClientError(.invalidInput, "--ca \(caFile): not a PEM certificate file (\(error))")
        }
    }

    /// The NIOSSL client configuration for HTTPS and WSS.
    public func tlsConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        return configuration
    }
}
