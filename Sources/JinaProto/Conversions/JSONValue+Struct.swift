public import JinaCore
public import SwiftProtobuf

/// `JSONValue` ⇄ `google.protobuf.Struct`/`Value`, as `parameters` and tensor parameters travel.
///
/// A `Struct` only has doubles: `.integer` goes out as a number and every number comes back as
/// `.number` (`3` → `3.0`, as Jina's clients see it too). Non-finite numbers, which JSON cannot
/// hold, come back as `null`.
extension JSONValue {
    /// The value of a protobuf `Value`; an unset `Value` is `null`.
    public init(proto value: Google_Protobuf_Value) {
        switch value.kind {
        case nil, .nullValue?: self = .null
        case .numberValue(let number)?: self = number.isFinite ? .number(number) : .null
        case .stringValue(let text)?: self = .string(text)
        case .boolValue(let flag)?: self = .bool(flag)
        case .structValue(let object)?: self = .object(object.jsonObject)
        case .listValue(let list)?: self = .array(list.values.map(JSONValue.init(proto:)))
        }
    }

    /// The value as a protobuf `Value`.
    public var protoValue: Google_Protobuf_Value {
        var value = Google_Protobuf_Value()
        switch self {
        case .null: value.kind = .nullValue(.nullValue)
        case .bool(let flag): value.kind = .boolValue(flag)
        case .integer(let number): value.kind = .numberValue(Double(number))
        case .number(let number): value.kind = .numberValue(number)
        case .string(let text): value.kind = .stringValue(text)
        case .array(let elements):
            var list = Google_Protobuf_ListValue()
            list.values = elements.map(\.protoValue)
            value.kind = .listValue(list)
        case .object(let members): value.kind = .structValue(Google_Protobuf_Struct(json: members))
        }
        return value
    }
}

extension Google_Protobuf_Struct {
    /// A `Struct` holding these members.
    public init(json members: [String: JSONValue]) {
        self.init()
        fields = members.mapValues(\.protoValue)
    }

    /// The members as JSON values.
    public var jsonObject: [String: JSONValue] {
        fields.mapValues(JSONValue.init(proto:))
    }
}
