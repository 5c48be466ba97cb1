import JinaCore
import JinaProto

/// `GET /openapi.json`: an OpenAPI 3.1 description of the routes, one `POST /<endpoint>` per
/// discovered endpoint with the executors' input and output document schemas (and `GET` with
/// server-sent events for a streaming one). The executors'
/// schemas are JSON Schemas whose `$defs` their own `#/$defs/NAME` references point into; in
/// the document those definitions move to `components.schemas`, as FastAPI lays them out, so
/// that Swagger UI and ReDoc (which resolve `#` at the document's root) can follow them.
enum OpenAPIDocument {
    static func make(endpoints: Jina_EndpointsProto?, gateway: GatewaySpec) -> JSONValue {
        var components: [String: JSONValue] = [:]
        var paths: [String: JSONValue] = [
            "/": get("Gateway health", "An empty object while the gateway serves", schema: .object(["type": "object"])),
            "/status": get("Versions and environment", "`jina` versions and `envs`", schema: .object(["type": "object"])),
            "/dry_run": get("Whole-graph check", "`code` 0 when every executor answered", schema: .object(["type": "object"])),
        ]
        for endpoint in endpoints?.endpoints ?? [] where endpoint.hasPrefix("/") {
            let schema = endpoints?.schemas.fields[endpoint].map(JSONValue.init(proto:))
            let input = schema?["input"].map { hoistDefinitions($0, into: &components) }
            let output = schema?["output"].map { hoistDefinitions($0, into: &components) }
            var operations: [String: JSONValue] = ["post": post(endpoint, input: input, output: output)]
            if let endpoints, EndpointCatalog.isStreaming(endpoint, in: endpoints) {
                operations["get"] = streaming(endpoint, input: input, output: output)
            }
            paths[endpoint] = .object(operations)
        }
        var document: [String: JSONValue] = [
            "openapi": "3.1.0",
            "info": .object([
                "title": .string(gateway.title ?? "Jina Gateway"),
                "description": .string(gateway.description ?? "Routes requests through the Flow's executors"),
                "version": .string(JinaVersion.current),
            ]),
            "paths": .object(paths),
        ]
        if !components.isEmpty { document["components"] = .object(["schemas": .object(components)]) }
        return .object(document)
    }

    /// `schema` with its `$defs` (at any depth) moved into `components` and its references to
    /// them pointed there. When a name is already taken by a different definition, the
    /// schema's definitions all get a suffix (`_2`).
    static func hoistDefinitions(_ schema: JSONValue, into components: inout [String: JSONValue]) -> JSONValue {
        switch schema {
        case .array(let items):
            return .array(items.map { hoistDefinitions($0, into: &components) })
        case .object(var members):
            var renames: [String: String] = [:]
            if case .object(let definitions)? = members.removeValue(forKey: "$defs") {
                // Definitions of one schema refer to each other by name: the group is renamed as
                // a whole (`_2`, `_3`…) when any of its names is taken by something else, so
                // that a reference never lands on another schema's definition.
                let names = definitions.keys.sorted()
                var hoisted: [String: JSONValue] = [:]
                for name in names { hoisted[name] = hoistDefinitions(definitions[name]!, into: &components) }
                var suffix = 1
                while true {
                    renames = Dictionary(uniqueKeysWithValues: names.map { ($0, suffix == 1 ? $0 : "\($0)_\(suffix)") })
                    let values = hoisted.mapValues { rewriteReferences($0, renames) }
                    if names.allSatisfy({ components[renames[$0]!] == nil || components[renames[$0]!] == values[$0] }) {
                        for name in names { components[renames[name]!] = values[name] }
                        break
                    }
                    suffix += 1
                }
            }
            for key in members.keys { members[key] = hoistDefinitions(members[key]!, into: &components) }
            return rewriteReferences(.object(members), renames)
        default:
            return schema
        }
    }

    /// `#/$defs/NAME` references inside `value` to names in `renames` pointed at
    /// `#/components/schemas/NAME'`.
    private static func rewriteReferences(_ value: JSONValue, _ renames: [String: String]) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.map { rewriteReferences($0, renames) })
        case .object(var members):
            for key in members.keys {
                if key == "$ref", case .string(let target) = members[key]!, target.hasPrefix("#/$defs/"),
                   let renamed = renames[String(target.dropFirst("#/$defs/".count))] {
                    // Names this level does not define are left for the level that does.
                    members[key] = .string("#/components/schemas/" + renamed)
                } else {
                    members[key] = rewriteReferences(members[key]!, renames)
                }
            }
            return .object(members)
        default:
            return value
        }
    }

    private static func get(_ summary: String, _ description: String, schema: JSONValue) -> JSONValue {
        .object(["get": .object([
            "summary": .string(summary),
            "responses": .object(["200": .object([
                "description": .string(description),
                "content": .object(["application/json": .object(["schema": schema])]),
            ])]),
        ])])
    }

    /// `GET /<endpoint>` of a streaming endpoint: one document in, `text/event-stream` out.
    private static func streaming(_ endpoint: String, input: JSONValue?, output: JSONValue?) -> JSONValue {
        .object([
            "summary": .string("Streaming Endpoint \(endpoint)"),
            "requestBody": .object([
                "required": false,
                "content": .object(["application/json": .object(["schema": input ?? .object(["type": "object"])])]),
            ]),
            "responses": .object(["200": .object([
                "description": "Server-sent events: `update` with each document as it is produced, then `end`",
                "content": .object(["text/event-stream": .object(["schema": output ?? .object(["type": "object"])])]),
            ])]),
        ])
    }

    private static func post(_ endpoint: String, input: JSONValue?, output: JSONValue?) -> JSONValue {
        let input = input ?? .object(["type": "object"])
        let output = output ?? .object(["type": "object"])
        let header: JSONValue = .object([
            "type": "object",
            "properties": .object([
                "request_id": .object(["type": "string"]),
                "target_executor": .object(["type": "string"]),
            ]),
        ])
        func body(_ document: JSONValue) -> JSONValue {
            .object([
                "type": "object",
                "properties": .object([
                    "data": .object(["anyOf": .array([.object(["type": "array", "items": document]), document])]),
                    "parameters": .object(["type": "object"]),
                    "header": header,
                ]),
            ])
        }
        return .object([
            "summary": .string("Endpoint \(endpoint)"),
            "requestBody": .object([
                "required": true,
                "content": .object(["application/json": .object(["schema": body(input).withRequired(["data"])])]),
            ]),
            "responses": .object([
                "200": .object([
                    "description": "The documents as the executors left them",
                    "content": .object(["application/json": .object(["schema": body(output)])]),
                ]),
                "401": .object(["description": "Missing or wrong bearer token (when the gateway demands one)"]),
                "413": .object(["description": "Larger than max_request_bytes or max_documents"]),
                "422": .object(["description": "The body cannot be read; `detail` names the field"]),
                "500": .object(["description": "An executor failed; `detail` is its error"]),
                "503": .object(["description": "An executor cannot be reached"]),
                "504": .object(["description": "An executor did not answer in time"]),
            ]),
        ])
    }
}

private extension JSONValue {
    func withRequired(_ names: [String]) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members["required"] = .array(names.map { .string($0) })
        return .object(members)
    }
}
