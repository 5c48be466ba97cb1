/// How a sharded executor's requests reach its shards.
public enum Polling: String, Sendable, Equatable, CaseIterable, Encodable {
    /// One shard gets each request.
    case any = "ANY"
    /// Every shard gets each request; results are reduced.
    case all = "ALL"
    /// Reserved by Jina; behaves as `ALL`.
    case allAsync = "ALL_ASYNC"
}

/// An executor's polling: one default, optionally overridden per endpoint.
public struct PollingSpec: Sendable, Equatable, Encodable {
    /// Polling for endpoints without their own entry (`*` in the per-endpoint form).
    public var `default`: Polling
    /// Endpoint (`/search`) → polling, for endpoints that differ from the default.
    public var perEndpoint: [String: Polling]

    public init(default: Polling = .any, perEndpoint: [String: Polling] = [:]) {
        self.default = `default`
        self.perEndpoint = perEndpoint
    }

    /// The polling used for requests to `endpoint`.
    public func polling(for endpoint: String) -> Polling {
        perEndpoint[endpoint] ?? `default`
    }

    /// Reads a value checked as `ValueKind.polling` (a word, or a mapping endpoint → word).
    init(_ value: SpecValue?) {
        self.init()
        switch value {
        case .string(let word)?:
            self.default = Polling(rawValue: word) ?? .any
        case .object(let map)?:
            for (endpoint, word) in map {
                let polling = word.stringValue.flatMap(Polling.init(rawValue:)) ?? .any
                if endpoint == "*" { self.default = polling } else { perEndpoint[endpoint] = polling }
            }
        default:
            break
        }
    }
}
