public import JinaCore

/// How Jina addresses `parameters` to one executor, in its two places:
/// * the gateway (`_parse_specific_params`): a key `NAME__key` is given to executor `NAME` as
///   `key` and removed for every executor;
/// * the executor (`_parse_params`): the entries of `parameters[NAME]` (an object) are laid over
///   the others.
public enum ExecutorParameters {
    /// The separator of executor-specific keys (`encoder__top_k`).
    public static let separator = "__"

    /// What the gateway sends executor `name`: `NAME__key` entries become `key` (for this
    /// executor) or disappear (for others); `parameters[name]` entries are laid over the rest.
    public static func forGateway(_ parameters: [String: JSONValue], executor name: String) -> [String: JSONValue] {
        var result = parameters
        for (key, value) in parameters {
            guard let range = key.range(of: separator), !key.hasPrefix(separator), !key.hasSuffix(separator) else {
                continue
            }
            result[key] = nil
            if key[..<range.lowerBound] == name {
                result[String(key[range.upperBound...])] = value
            }
        }
        return forExecutor(result, executor: name)
    }

    /// What executor `name` hands its handlers: `parameters[name]` entries laid over the rest.
    public static func forExecutor(_ parameters: [String: JSONValue], executor name: String) -> [String: JSONValue] {
        guard case .object(let own)? = parameters[name] else { return parameters }
        return parameters.merging(own) { _, specific in specific }
    }
}
