import Foundation
import GraphQL
import JinaCore
import OrderedCollections

/// The GraphQL types of documents, named and shaped as docarray v1's Strawberry types that
/// Python Jina's `/graphql` served (`StrawberryDocument`, `StrawberryDocumentInput`, the
/// `JSONScalar`, `NdArray` and `Base64` scalars, `_NameScoreItem` scores), so that queries
/// written for Jina keep working. Field names are camelCase as Strawberry made them
/// (`parentId`, `mimeType`); `url` is served besides v1's `uri` (the same value: docarray v2
/// calls it `url`).
///
/// Output fields are resolved from the `Document` one by one, so only what a query selects is
/// ever turned into JSON.
struct DocumentGraphQLTypes: Sendable {
    let json: GraphQLScalarType
    let ndarray: GraphQLScalarType
    let base64: GraphQLScalarType
    let document: GraphQLObjectType
    let documentInput: GraphQLInputObjectType

    /// Scalar fields in and out: GraphQL name → document field name.
    static let plainFields: [(graphQL: String, field: String, type: GraphQLScalarType)] = [
        ("id", "id", GraphQLString), ("parentId", "parent_id", GraphQLString),
        ("granularity", "granularity", GraphQLInt), ("adjacency", "adjacency", GraphQLInt),
        ("mimeType", "mime_type", GraphQLString), ("text", "text", GraphQLString),
        ("weight", "weight", GraphQLFloat), ("offset", "offset", GraphQLFloat),
        ("modality", "modality", GraphQLString),
    ]

    init() throws {
        json = try GraphQLScalarType(
            name: "JSONScalar",
            description: "The GenericScalar scalar type represents a generic GraphQL scalar value that could be: List or Object.",
            serialize: { value in try Self.output(value) },
            parseValue: { $0 },
            parseLiteral: { try Self.literal($0) })
        ndarray = try GraphQLScalarType(
            name: "NdArray", description: "A tensor as nested lists of numbers",
            serialize: { value in try Self.output(value) },
            parseValue: { $0 },
            parseLiteral: { try Self.literal($0) })
        base64 = try GraphQLScalarType(
            name: "Base64", description: "Bytes as base64 text",
            serialize: { value in try Self.output(value) },
            parseValue: { $0 },
            parseLiteral: { try Self.literal($0) })
        let namedScore = try GraphQLObjectType(name: "_NamedScore", fields: [
            "value": GraphQLField(type: GraphQLFloat) { source, _, _, _ in Self.some(Self.scoreEntry(source, "value")) },
            "opName": GraphQLField(type: GraphQLString) { source, _, _, _ in Self.some(Self.scoreEntry(source, "op_name")) },
            "description": GraphQLField(type: GraphQLString) { source, _, _, _ in Self.some(Self.scoreEntry(source, "description")) },
            "refId": GraphQLField(type: GraphQLString) { source, _, _, _ in Self.some(Self.scoreEntry(source, "ref_id")) },
        ])
        let scoreItem = try GraphQLObjectType(name: "_NameScoreItem", fields: [
            "name": GraphQLField(type: GraphQLNonNull(GraphQLString)) { source, _, _, _ in Self.some((source as? ScoreItem)?.name) },
            "score": GraphQLField(type: GraphQLNonNull(namedScore)) { source, _, _, _ in Self.some((source as? ScoreItem)?.score) },
        ])
        let holder = TypeHolder()
        let (json, ndarray, base64) = (json, ndarray, base64)
        document = try GraphQLObjectType(name: "StrawberryDocument", fields: {
            guard let document = holder.document else { return [:] }
            var fields: GraphQLFieldMap = [:]
            for (name, field, type) in Self.plainFields {
                fields[name] = GraphQLField(type: type) { source, _, _, _ in
                    Self.some(Self.field((source as? JinaDocument)?[field]))
                }
            }
            fields["uri"] = GraphQLField(type: GraphQLString) { source, _, _, _ in Self.some((source as? JinaDocument)?.url) }
            fields["url"] = GraphQLField(type: GraphQLString) { source, _, _, _ in Self.some((source as? JinaDocument)?.url) }
            fields["location"] = GraphQLField(type: GraphQLList(GraphQLFloat)) { source, _, _, _ in
                Self.some(Self.field((source as? JinaDocument)?["location"]))
            }
            fields["tags"] = GraphQLField(type: json) { source, _, _, _ in
                Self.some((source as? JinaDocument)?.tags.map { Self.map(DocValue(.dict($0)).json()) })
            }
            for name in ["tensor", "embedding"] {
                fields[name] = GraphQLField(type: ndarray) { source, _, _, _ in
                    Self.some(Self.field((source as? JinaDocument)?[name]))
                }
            }
            fields["blob"] = GraphQLField(type: base64) { source, _, _, _ in
                Self.some((source as? JinaDocument)?.bytes.map { Map.string(Data($0).base64EncodedString()) })
            }
            for name in ["scores", "evaluations"] {
                fields[name] = GraphQLField(type: GraphQLList(GraphQLNonNull(scoreItem))) { source, _, _, _ in
                    Self.some((source as? JinaDocument)?[name]?.dictValue.map(ScoreItem.list))
                }
            }
            fields["chunks"] = GraphQLField(type: GraphQLList(GraphQLNonNull(document))) { source, _, _, _ in
                Self.some((source as? JinaDocument)?.chunks)
            }
            fields["matches"] = GraphQLField(type: GraphQLList(GraphQLNonNull(document))) { source, _, _, _ in
                Self.some((source as? JinaDocument)?.matches)
            }
            return fields
        })
        holder.document = document

        let namedScoreInput = try GraphQLInputObjectType(name: "_NamedScoreInput", fields: {[
            "value": InputObjectField(type: GraphQLFloat), "opName": InputObjectField(type: GraphQLString),
            "description": InputObjectField(type: GraphQLString), "refId": InputObjectField(type: GraphQLString),
        ]})
        let scoreItemInput = try GraphQLInputObjectType(name: "_NameScoreItemInput", fields: {[
            "name": InputObjectField(type: GraphQLNonNull(GraphQLString)),
            "score": InputObjectField(type: GraphQLNonNull(namedScoreInput)),
        ]})
        documentInput = try GraphQLInputObjectType(name: "StrawberryDocumentInput", fields: {
            guard let input = holder.input else { return [:] }
            var fields: InputObjectFieldMap = [:]
            for (name, _, type) in Self.plainFields { fields[name] = InputObjectField(type: type) }
            fields["uri"] = InputObjectField(type: GraphQLString)
            fields["url"] = InputObjectField(type: GraphQLString)
            fields["location"] = InputObjectField(type: GraphQLList(GraphQLFloat))
            fields["tags"] = InputObjectField(type: json)
            fields["tensor"] = InputObjectField(type: ndarray)
            fields["embedding"] = InputObjectField(type: ndarray)
            fields["blob"] = InputObjectField(type: base64)
            fields["scores"] = InputObjectField(type: GraphQLList(GraphQLNonNull(scoreItemInput)))
            fields["evaluations"] = InputObjectField(type: GraphQLList(GraphQLNonNull(scoreItemInput)))
            fields["chunks"] = InputObjectField(type: GraphQLList(GraphQLNonNull(input)))
            fields["matches"] = InputObjectField(type: GraphQLList(GraphQLNonNull(input)))
            return fields
        })
        holder.input = documentInput
    }

    // MARK: Input

    /// A `StrawberryDocumentInput` value as a document (`path` names it in errors: `data[2]`).
    static func documentValue(from input: Map, path: String) throws(DocumentError) -> JinaDocument {
        guard case .dictionary(let members) = input else {
            throw DocumentError("expected a document (an object)", path: path)
        }
        var json: [String: JSONValue] = [:]
        for (name, value) in members where value != .null && value != .undefined {
            switch name {
            case "uri", "url":
                json["url"] = jsonValue(value)
            case "blob":
                guard case .string(let text) = value, let bytes = Data(base64Encoded: text) else {
                    throw DocumentError("blob: expected base64 text", path: "\(path).blob")
                }
                json["blob"] = .string(DocValue.base64BytesPrefix + Data(bytes).base64EncodedString())
            case "scores", "evaluations":
                var scores: [String: JSONValue] = [:]
                for item in value.array ?? [] {
                    guard let name = item.dictionary?["name"]?.string else { continue }
                    var score: [String: JSONValue] = [:]
                    for (key, field) in [("value", "value"), ("opName", "op_name"), ("description", "description"), ("refId", "ref_id")] {
                        if let entry = item.dictionary?["score"]?.dictionary?[key], entry != .null, entry != .undefined { score[field] = jsonValue(entry) }
                    }
                    scores[name] = .object(score)
                }
                json[name] = .object(scores)
            case "chunks", "matches":
                var nested: [JSONValue] = []
                for (index, item) in (value.array ?? []).enumerated() {
                    nested.append(try documentValue(from: item, path: "\(path).\(name)[\(index)]").json())
                }
                json[name] = .array(nested)
            default:
                let field = plainFields.first { $0.graphQL == name }?.field ?? name
                json[field] = jsonValue(value)
            }
        }
        return try JinaDocument(json: .object(json), path: path)
    }

    // MARK: Conversions

    /// A GraphQL value as JSON.
    static func jsonValue(_ map: Map) -> JSONValue {
        switch map {
        case .undefined, .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let number):
            switch number.storageType {
            case .bool: return .bool(number.boolValue)
            case .int: return .integer(number.intValue)
            default: return .number(number.doubleValue)
            }
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(jsonValue))
        case .dictionary(let members):
            var object: [String: JSONValue] = [:]
            for (key, value) in members { object[key] = jsonValue(value) }
            return .object(object)
        }
    }

    /// JSON as a GraphQL value.
    static func map(_ json: JSONValue) -> Map {
        switch json {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .integer(let value): return .number(Number(value))
        case .number(let value): return .number(Number(value))
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(map))
        case .object(let members):
            var result = OrderedDictionary<String, Map>()
            for key in members.keys.sorted() { result[key] = map(members[key]!) }
            return .dictionary(result)
        }
    }

    /// A resolver's answer: `nil` stays a true nil (an optional boxed as `any Sendable` would
    /// reach the scalar's serializer as a value).
    static func some<T: Sendable>(_ value: T?) -> (any Sendable)? {
        guard let value else { return nil }
        return value
    }

    /// A document field as an output value; an empty field (`null`) is no value.
    static func field(_ value: DocValue?) -> Map? {
        guard let value else { return nil }
        let json = value.json()
        return json == .null ? nil : map(json)
    }

    /// What a scalar's resolver returned, as output (resolvers return `Map`s already).
    private static func output(_ value: Any) throws -> Map {
        if let map = value as? Map { return map }
        return try GraphQL.map(from: value)
    }

    /// A literal in the query text (`tags: {a: 1}`) as a value.
    private static func literal(_ value: Value) throws -> Map {
        switch value {
        case let value as StringValue: return .string(value.value)
        case let value as IntValue: return Int(value.value).map { .number(Number($0)) } ?? .string(value.value)
        case let value as FloatValue: return Double(value.value).map { .number(Number($0)) } ?? .string(value.value)
        case let value as BooleanValue: return .bool(value.value)
        case is NullValue: return .null
        case let value as ListValue: return .array(try value.values.map(literal))
        case let value as ObjectValue:
            var result = OrderedDictionary<String, Map>()
            for field in value.fields { result[field.name.value] = try literal(field.value) }
            return .dictionary(result)
        default:
            throw GraphQLError(message: "variables are not allowed inside a JSONScalar literal")
        }
    }

    /// One entry of a `_NamedScore` from a score value (a number, or `{value, op_name, …}`).
    private static func scoreEntry(_ source: any Sendable, _ key: String) -> Map? {
        guard let score = source as? DocValue else { return nil }
        if key == "value", let number = score.doubleValue { return .number(Number(number)) }
        return field(score.dictValue?[key])
    }
}

/// One `_NameScoreItem`: a score's name and value.
struct ScoreItem: Sendable {
    var name: String
    var score: DocValue

    static func list(_ scores: [String: DocValue]) -> [ScoreItem] {
        scores.keys.sorted().map { ScoreItem(name: $0, score: scores[$0]!) }
    }
}

/// Our document (GraphQL has a `Document` of its own: a parsed query).
typealias JinaDocument = JinaCore.Document

/// Lets the recursive types (a document's `chunks` are documents) name themselves.
private final class TypeHolder: @unchecked Sendable {
    // Set once, right after the type is made and before any field thunk runs.
    var document: GraphQLObjectType?
    var input: GraphQLInputObjectType?
}
