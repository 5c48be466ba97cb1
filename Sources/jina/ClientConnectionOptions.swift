import ArgumentParser
import Foundation
import JinaClient

/// The flags `jina client` and `jina ping` share: the bearer token and the CA to trust.
struct ClientConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Bearer token for a gateway that demands one (visible in `ps`; prefer --token-env).", valueName: "TOKEN"))
    var token: String?

    @Option(name: .customLong("token-env"), help: ArgumentHelp("Read the bearer token from this environment variable.", valueName: "NAME"))
    var tokenEnv: String?

    @Option(name: .long, help: ArgumentHelp("PEM file of the CA to trust for grpcs://, https:// and wss:// (default: the system trust store).", valueName: "FILE"))
    var ca: String?

    func validate() throws {
        if token != nil, tokenEnv != nil { throw ValidationError("give --token or --token-env, not both") }
    }

    /// The token (from the flag or the named variable) and the CA; invalid input when the
    /// variable is unset or the CA file unreadable.
    func security() throws(ClientError) -> ClientSecurity {
        var token = self.token
        if let tokenEnv {
            guard let value = ProcessInfo.processInfo.environment[tokenEnv], !value.isEmpty else {
                throw ClientError(.invalidInput, "--token-env \(tokenEnv): the environment variable is not set")
            }
            token = value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let security = ClientSecurity(token: token, caFile: ca)
        try security.validate()
        return security
    }
}
