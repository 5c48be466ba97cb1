import ArgumentParser
import Foundation
import JinaCore
import JinaHub

/// How `jina hub` reaches a registry: plain HTTP for one on this machine, and credentials.
struct HubRegistryOptions: ParsableArguments {
    @Flag(name: .long, help: "Speak plain HTTP to a registry on this machine (localhost, 127.x.x.x, [::1]) instead of HTTPS (also JINA_HUB_INSECURE=1).")
    var insecure = false

    @Option(name: .long, help: ArgumentHelp("User name at the registry (default: JINA_HUB_USERNAME, else the Docker config's `docker login`).", valueName: "USER"))
    var username: String?

    @Flag(name: .customLong("password-stdin"), help: "Read the password or token from standard input (with --username).")
    var passwordStdin = false

    func validate() throws {
        if passwordStdin, username == nil {
            throw ValidationError("--password-stdin needs --username")
        }
    }

    /// The Hub with these options, reporting progress on standard error.
    func hub() throws(HubError) -> Hub {
        var credentials: RegistryCredentials?
        if let username {
            var password = ProcessInfo.processInfo.environment["JINA_HUB_PASSWORD"] ?? ""
            if passwordStdin {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            }
            credentials = RegistryCredentials(username: username, password: password)
        }
        return Hub(environment: ProcessInfo.processInfo.environment, insecure: insecure, credentials: credentials,
                   progress: HubRegistryOptions.stderrLine)
    }

    @Sendable static func stderrLine(_ line: String) {
        FileHandle.standardError.write(Data(("hub: " + line + "\n").utf8))
    }

    /// A command-line reference, or exit 2 with the grammar.
    static func reference(_ text: String) throws(HubError) -> HubReference {
        switch HubReference.parse(text) {
        case .success(let reference): return reference
        case .failure(let problem): throw HubError(.invalidInput, problem.message, hint: problem.hint)
        }
    }
}
