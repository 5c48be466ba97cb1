import Foundation
public import NIOSSL

/// A server's TLS identity, read from PEM files and checked at start-up (certificate chain
/// parses, key parses, key belongs to the certificate), so that a bad file is one clear error
/// before any port opens rather than a failed handshake later.
public struct ServerTLS: Sendable {
    public let certificateFile: String
    public let keyFile: String
    /// The certificate chain, leaf first.
    public let certificateChain: [NIOSSLCertificate]
    public let privateKey: NIOSSLPrivateKey
    /// The files' PEM bytes, for transports that take bytes (gRPC).
    public let certificatePEM: [UInt8]
    public let keyPEM: [UInt8]

    /// Loads and checks both files; throws `GatewayError` (invalid input) naming the file.
    public init(certificateFile: String, keyFile: String) throws(GatewayError) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        certificatePEM = try Self.read(certificateFile, what: "ssl_certfile")
        keyPEM = try Self.read(keyFile, what: "ssl_keyfile")
        do {
            certificateChain = try NIOSSLCertificate.fromPEMBytes(certificatePEM)
        } catch {
            throw GatewayError(.invalidInput, "ssl_certfile \(certificateFile) is not a PEM certificate (\(error))")
        }
        guard !certificateChain.isEmpty else {
            throw GatewayError(.invalidInput, "ssl_certfile \(certificateFile) holds no PEM certificate")
        }
        do {
            privateKey = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw GatewayError(.invalidInput, "ssl_keyfile \(keyFile) is not a PEM private key (\(error))")
        }
        do {
            _ = try NIOSSLContext(configuration: serverConfiguration(applicationProtocols: []))
        } catch {
            throw GatewayError(.invalidInput,
                               "ssl_keyfile \(keyFile) does not belong to the certificate in \(certificateFile) (\(error))")
        }
    }

    /// The oldest TLS version any listener accepts (HTTPS, WSS here; gRPC's transport sets the
    /// same minimum itself).
    public static let minimumVersion: TLSVersion = .tlsv12

    /// A server configuration for this identity, offering `applicationProtocols` (ALPN); TLS 1.2
    /// or later only.
    public func serverConfiguration(applicationProtocols: [String]) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = Self.minimumVersion
        configuration.applicationProtocols = applicationProtocols
        return configuration
    }

    private static func read(_ path: String, what: String) throws(GatewayError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            throw GatewayError(.invalidInput, "\(what) \(path): \(reason)")
        }
        return Array(data)
    }
}
