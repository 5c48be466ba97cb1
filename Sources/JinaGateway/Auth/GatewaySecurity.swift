#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import JinaCore

/// What the gateway demands of clients, resolved at start-up from the gateway section: the
/// accepted bearer tokens (nil = auth off), the paths open without one, and the TLS identity.
public struct GatewaySecurity: Sendable {
    /// Accepted tokens; nil when the gateway is open.
    public var tokens: TokenSet?
    /// HTTP paths (exact, or a prefix when ending in `*`) and gRPC services (full names,
    /// e.g. `jina.JinaInfoRPC`) that need no token. Health checks are always open.
    public var exempt: [String]
    /// The TLS certificate and key, loaded and checked; nil = plain text.
    public var tls: ServerTLS?
    /// Secret files other users may read (the gateway logs each once at start).
    public var warnings: [String] = []

    public init(tokens: TokenSet? = nil, exempt: [String] = ["/", "/status", "/dry_run"], tls: ServerTLS? = nil) {
        self.tokens = tokens
        self.exempt = exempt
        self.tls = tls
    }

    /// Reads tokens and TLS files named by `gateway`; throws `GatewayError` naming the problem.
    public static func load(_ gateway: GatewaySpec, environment: [String: String]) throws(GatewayError) -> GatewaySecurity {
        let tokens = try TokenSet.load(environmentVariable: gateway.tokenEnv, file: gateway.tokenFile, environment: environment)
        var tls: ServerTLS?
        switch (gateway.sslCertfile, gateway.sslKeyfile) {
        case (let certificate?, let key?):
            tls = try ServerTLS(certificateFile: certificate, keyFile: key)
        case (nil, nil):
            tls = nil
        case (_?, nil):
            throw GatewayError(.invalidInput, "ssl_certfile is set but ssl_keyfile is not",
                               hint: "TLS needs both the certificate and its private key (--ssl-keyfile)")
        case (nil, _?):
            throw GatewayError(.invalidInput, "ssl_keyfile is set but ssl_certfile is not",
                               hint: "TLS needs both the certificate and its private key (--ssl-certfile)")
        }
        var security = GatewaySecurity(tokens: tokens, exempt: gateway.authExempt, tls: tls)
        for (key, path) in [("token_file", gateway.tokenFile), ("ssl_keyfile", gateway.sslKeyfile)] {
            if let path, let mode = Self.permissions(path), mode & 0o077 != 0 {
                security.warnings.append(
                    "\(key) \(path) can be read by other users (mode \(String(mode, radix: 8))): `chmod 600 \(path)`")
            }
        }
        return security
    }

    /// The permission bits of `path`; nil when it cannot be read.
    static func permissions(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o777
    }

    /// Whether an HTTP request for `path` needs no token.
    public func isExempt(path: String) -> Bool {
        exempt.contains { rule in
            rule.hasSuffix("*") ? path.hasPrefix(rule.dropLast()) : path == rule
        }
    }

    /// Whether a request with this `Authorization` value may go on (`path` for the exemptions).
    public func allows(path: String, authorization: String?) -> Bool {
        guard let tokens else { return true }
        return isExempt(path: path) || tokens.acceptsAuthorization(authorization)
    }
}
