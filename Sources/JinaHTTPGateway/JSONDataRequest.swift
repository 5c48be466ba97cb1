import JinaCore
import JinaGateway
import JinaProto

/// The JSON form of a data request, as Jina's HTTP gateway takes it:
/// `{"data": [docs] | doc, "parameters": {…}, "header": {"request_id", "target_executor"}}`,
/// plus `execEndpoint`/`exec_endpoint` (the generic `POST /post` and WebSocket `json`).
enum JSONDataRequest {
    /// Reads a request body for `endpoint` (nil: take it from the body, default `/`).
    /// Throws `RequestProblem` naming the offending field, as a 422 does.
    static func parse(_ bytes: [UInt8], endpoint: String?, limits: GatewayLimits) throws(RequestProblem) -> LazyDataRequest {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw RequestProblem(type: "json_invalid", location: [], message: "JSON decode error: \(error.description)")
        }
        guard case .object(let body) = json else {
            throw RequestProblem(type: "dict_type", location: [], message: "Input should be a valid dictionary (a JSON object)")
        }
        guard let data = body["data"] else {
            throw RequestProblem(type: "missing", location: ["data"], message: "Field required")
        }
        let count = if case .array(let items) = data { items.count } else { 1 }
        if let problem = limits.documentProblem(count: count) {
            throw RequestProblem(type: "too_long", location: ["data"], message: problem, status: 413)
        }
        let documents: [Document]
        do {
            documents = data == .null ? [] : try [Document](json: data, path: "data")
        } catch {
            throw RequestProblem(type: "value_error", path: error.path, message: error.message)
        }
        let parameters: [String: JSONValue]?
        switch body["parameters"] {
        case nil, .null?: parameters = nil
        case .object(let members)?: parameters = members
        case let other?:
            throw RequestProblem(type: "dict_type", location: ["parameters"],
                                 message: "Input should be a valid dictionary, got \(other.kindDescription)")
        }
        var header: [String: JSONValue] = [:]
        switch body["header"] {
        case nil, .null?: break
        case .object(let members)?: header = members
        case let other?:
            throw RequestProblem(type: "dict_type", location: ["header"],
                                 message: "Input should be a valid dictionary, got \(other.kindDescription)")
        }
        let requestID = try string(header["request_id"] ?? body["requestId"], at: ["header", "request_id"])
        let target = try string(header["target_executor"] ?? body["targetExecutor"] ?? body["target_executor"],
                                at: ["header", "target_executor"])
        let bodyEndpoint = try string(body["execEndpoint"] ?? body["exec_endpoint"], at: ["execEndpoint"])
        var id = requestID ?? ""
        if id.isEmpty, body["header"] == nil || body["header"] == .null, case .object = data,
           let documentID = documents.first?.id, !documentID.isEmpty {
            // Jina: a single document without a header gives the request its id.
            id = documentID
        }
        do {
            var request = try Jina_DataRequestProto(
                endpoint: endpoint ?? bodyEndpoint ?? "/", documents: documents, parameters: parameters,
                requestID: id.isEmpty ? Document.generateID() : id)
            if let target, !target.isEmpty { request.targetExecutor = target }
            return try LazyDataRequest(request)
        } catch let error as DocumentError {
            throw RequestProblem(type: "value_error", path: error.path, message: error.message)
        } catch {
            throw RequestProblem(type: "value_error", location: ["data"], message: "\(error)")
        }
    }

    private static func string(_ value: JSONValue?, at location: [String]) throws(RequestProblem) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?:
            throw RequestProblem(type: "string_type", location: location,
                                 message: "Input should be a valid string, got \(other.kindDescription)")
        }
    }

    /// The reply body: `{"data": [...], "parameters": {...}, "header": {...}}`.
    static func reply(_ reply: LazyDataRequest) throws(DocumentError) -> JSONValue {
        let documents = try reply.documents()
        return .object([
            "data": documents.json(),
            "parameters": .object(reply.parametersJSON),
            "header": .object([
                "request_id": .string(reply.requestID),
                "target_executor": .string(""),
                "exec_endpoint": .string(reply.endpoint),
            ]),
        ])
    }
}
