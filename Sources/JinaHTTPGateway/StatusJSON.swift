import JinaCore
import JinaProto

/// JSON shapes of `GET /status` and `GET /dry_run`.
enum StatusJSON {
    /// `{"jina": {…}, "envs": {…}}`.
    static func info(_ info: Jina_JinaInfoProto) -> JSONValue {
        .object([
            "jina": .object(info.jina.mapValues { .string($0) }),
            "envs": .object(info.envs.mapValues { .string($0) }),
        ])
    }

    /// `{"code": 0|1, "description": "…", "exception": null | {name, args, stacks, executor}}`.
    static func status(_ status: Jina_StatusProto) -> JSONValue {
        let failed = status.code == .error
        let exception: JSONValue = failed
            ? .object([
                "name": .string(status.exception.name),
                "args": .array(status.exception.args.map { .string($0) }),
                "stacks": .array(status.exception.stacks.map { .string($0) }),
                "executor": .string(status.exception.executor),
            ])
            : .null
        return .object([
            "code": .integer(failed ? 1 : 0),
            "description": .string(status.description_p),
            "exception": exception,
        ])
    }
}
