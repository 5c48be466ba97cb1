import ArgumentParser
import JinaCore

/// Gateway security and limit flags shared by `jina gateway` and `jina flow`; each overrides
/// the key of the same name in the Flow's `gateway:` section. Tokens are never given inline:
/// only the variable or file that holds them.
struct GatewayOptions: ParsableArguments {
    @Option(name: .customLong("token-env"),
            help: ArgumentHelp("Demand `Authorization: Bearer TOKEN`; the accepted tokens are in this environment variable (comma-separated).", valueName: "NAME"))
    var tokenEnv: String?

    @Option(name: .customLong("token-file"),
            help: ArgumentHelp("Demand a bearer token; the accepted tokens are in this file, one per line (# comments).", valueName: "FILE"))
    var tokenFile: String?

    @Option(name: .customLong("ssl-certfile"),
            help: ArgumentHelp("TLS certificate (PEM) for every protocol: grpcs, https, wss (with --ssl-keyfile).", valueName: "FILE"))
    var sslCertfile: String?

    @Option(name: .customLong("ssl-keyfile"),
            help: ArgumentHelp("TLS private key (PEM) of --ssl-certfile.", valueName: "FILE"))
    var sslKeyfile: String?

    @Option(name: .customLong("max-request-bytes"),
            help: ArgumentHelp("Largest request accepted, in bytes (default 67108864 = 64 MiB).", valueName: "N"))
    var maxRequestBytes: Int?

    @Option(name: .customLong("max-documents"),
            help: ArgumentHelp("Most documents in one request; 0 = no limit (default 100000).", valueName: "N"))
    var maxDocuments: Int?

    @Option(name: .customLong("idle-timeout"),
            help: ArgumentHelp("Milliseconds a client connection may stay idle before it is closed; 0 = never (default 60000).",
                               valueName: "MS"))
    var idleTimeout: Int?

    func validate() throws {
        if let maxRequestBytes, maxRequestBytes < 1 {
            throw ValidationError("--max-request-bytes must be at least 1")
        }
        if let maxDocuments, maxDocuments < 0 {
            throw ValidationError("--max-documents must be 0 (no limit) or more")
        }
        if let idleTimeout, idleTimeout < 0 {
            throw ValidationError("--idle-timeout must be 0 (never) or more")
        }
    }

    /// The Flow's gateway section with these flags applied.
    func apply(to gateway: inout GatewaySpec) {
        if let tokenEnv { gateway.tokenEnv = tokenEnv }
        if let tokenFile { gateway.tokenFile = tokenFile }
        if let sslCertfile { gateway.sslCertfile = sslCertfile }
        if let sslKeyfile { gateway.sslKeyfile = sslKeyfile }
        if let maxRequestBytes { gateway.maxRequestBytes = maxRequestBytes }
        if let maxDocuments { gateway.maxDocuments = maxDocuments }
        if let idleTimeout { gateway.idleTimeout = idleTimeout }
    }
}
