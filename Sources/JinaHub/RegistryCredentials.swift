import Foundation

/// A user name and password (or token) for one registry: given on the command line
/// (`--username`, `--password-stdin`), or found in the Docker config's `auths` the way
/// `docker login` and `oras login` write it (`$DOCKER_CONFIG/config.json`, else
/// `~/.docker/config.json`).
public struct RegistryCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `Basic base64(user:password)`.
    var basicHeader: String { "Basic " + Data("\(username):\(password)".utf8).base64EncodedString() }

    /// The credentials `docker login HOST` stored, if any (`auth` or `username`/`password`;
    /// credential helpers are not run).
    public static func fromDockerConfig(registry: String, environment: [String: String]) -> RegistryCredentials? {
        let folder = environment["DOCKER_CONFIG"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.docker")
        guard let data = FileManager.default.contents(atPath: folder + "/config.json"),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let auths = root["auths"] as? [String: Any] else { return nil }
        let keys = [registry, "https://\(registry)", "http://\(registry)", "https://\(registry)/v2/", "https://\(registry)/v1/"]
        guard let entry = keys.lazy.compactMap({ auths[$0] as? [String: Any] }).first else { return nil }
        if let auth = entry["auth"] as? String, let decoded = Data(base64Encoded: auth),
           let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") {
            return RegistryCredentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        }
        if let username = entry["username"] as? String, let password = entry["password"] as? String {
            return RegistryCredentials(username: username, password: password)
        }
        return nil
    }
}
