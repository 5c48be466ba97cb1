import JinaCore
import JinaProto

/// `GET /openapi.json`: an OpenAPI 3.1 description of the routes, one `POST /<endpoint>` per
/// discovered endpoint with the executors' input and output document schemas.
enum OpenAPIDocument {
    static func make(endpoints: Jina_EndpointsProto?, gateway: GatewaySpec) -> JSONValue {
        var paths: [String: JSONValue] = [
            "/": get("Gateway health", "An empty object while the gateway serves", schema: .object(["type": "object"])),
            "/status": get("Versions and environment", "`jina` versions and `envs`", schema: .object(["type": "object"])),
            "/dry_run": get("Whole-graph check", "`code` 0 when every executor answered", schema: .object(["type": "object"])),
        ]
        for endpoint in endpoints?.endpoints ?? [] where endpoint.hasPrefix("/") {
            let schema = endpoints?.schemas.fields[endpoint].map(JSONValue.init(proto:))
            paths[endpoint] = .object(["post": post(endpoint, schema: schema)])
        }
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": .string(gateway.title ?? "Jina Gateway"),
                "description": .string(gateway.description ?? "Routes requests through the Flow's executors"),
                "version": .string(JinaVersion.current),
            ]),
            "paths": .object(paths),
        ])
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

    private static func post(_ endpoint: String, schema: JSONValue?) -> JSONValue {
        let input = schema?["input"] ?? .object(["type": "object"])
        let output = schema?["output"] ?? .object(["type": "object"])
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
