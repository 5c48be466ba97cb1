import JinaCore

/// Decodes an executor's `Configuration` from `uses_with` (a JSON object), reporting problems by
/// key: unknown keys (with a did-you-mean), wrong types and missing required keys.
///
/// Swift's `Decodable` ignores keys nobody asks for; this decoder records which keys each
/// object was asked about and reports the rest, so `{"txt": "!"}` is not silently ignored.
package enum ConfigurationDecoder {
    /// Decodes `T` from `usesWith` (nil or `null` mean an empty object). Errors are
    /// `ExecutorError`s of kind invalid input naming `uses_with.KEY` and the executor.
    package static func decode<T: Decodable>(_ type: T.Type, from usesWith: JSONValue?, executor: String) throws(ExecutorError) -> T {
        let value: JSONValue = (usesWith == nil || usesWith == .null) ? .object([:]) : usesWith!
        let usage = KeyUsage()
        let decoded: T
        do {
            decoded = try T(from: ValueDecoder(value: value, codingPath: [], usage: usage))
        } catch let error as DecodingError {
            throw describe(error, executor: executor)
        } catch let error as ExecutorError {
            throw error
        } catch {
            throw ExecutorError(.invalidInput, "invalid uses_with for \(executor): \(error)")
        }
        if let unknown = usage.firstUnknownKey() {
            let place = path(unknown.path + [AnyKey(unknown.key)])
            var hint: String
            if unknown.known.isEmpty {
                hint = unknown.path.isEmpty ? "\(executor) takes no uses_with keys" : "this object takes no keys"
            } else {
                hint = "known keys: " + unknown.known.sorted().joined(separator: ", ")
                if let guess = DidYouMean.suggestion(for: unknown.key, among: unknown.known.sorted()) {
                    hint = "did you mean `\(guess)`? " + hint
                }
            }
            throw ExecutorError(.invalidInput, "unknown key \(place) for executor \(executor)", hint: hint)
        }
        return decoded
    }

    private static func describe(_ error: DecodingError, executor: String) -> ExecutorError {
        switch error {
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            return ExecutorError(
                .invalidInput, "\(path(context.codingPath)) of executor \(executor): \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            return ExecutorError(
                .invalidInput, "\(path(context.codingPath + [key])) is required by executor \(executor)",
                hint: "pass it in uses_with, e.g. --uses-with '{\"\(key.stringValue)\": …}'")
        case .valueNotFound(_, let context):
            return ExecutorError(
                .invalidInput, "\(path(context.codingPath)) of executor \(executor) must not be null")
        @unknown default:
            return ExecutorError(.invalidInput, "invalid uses_with for executor \(executor): \(error)")
        }
    }

    /// `uses_with.a.b[2]`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = "uses_with"
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += ".\(key.stringValue)" }
        }
        return text
    }
}

/// Which keys of each decoded object were asked about.
private final class KeyUsage {
    struct Object {
        var path: [any CodingKey]
        var keys: [String]
        var asked: Set<String> = []
        var all = false
    }

    var objects: [Object] = []

    func register(path: [any CodingKey], keys: [String]) -> Int {
        objects.append(Object(path: path, keys: keys))
        return objects.count - 1
    }

    func firstUnknownKey() -> (path: [any CodingKey], key: String, known: [String])? {
        for object in objects where !object.all {
            if let key = object.keys.sorted().first(where: { !object.asked.contains($0) }) {
                return (object.path, key, Array(object.asked))
            }
        }
        return nil
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

private func mismatch(_ expected: String, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    .typeMismatch(Any.self, .init(codingPath: path, debugDescription: "expected \(expected), got \(value.kindDescription)"))
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let usage: KeyUsage
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch("an object", value, codingPath) }
        let index = usage.register(path: codingPath, keys: Array(members.keys))
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath, usage: usage, index: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch("a list", value, codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath, usage: usage)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath, usage: usage)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]
    let usage: KeyUsage
    let index: Int

    var allKeys: [Key] {
        usage.objects[index].all = true
        return members.keys.compactMap(Key.init(stringValue:))
    }

    private func value(_ key: Key) -> JSONValue? {
        usage.objects[index].asked.insert(key.stringValue)
        return members[key.stringValue]
    }

    private func decoder(_ key: Key) throws -> ValueDecoder {
        guard let value = value(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return ValueDecoder(value: value, codingPath: codingPath + [key], usage: usage)
    }

    func contains(_ key: Key) -> Bool { value(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { (value(key) ?? .null) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder(key).decodeValue(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = value(key), value != .null else { return nil }
        return try ValueDecoder(value: value, codingPath: codingPath + [key], usage: usage).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: .object(members), codingPath: codingPath, usage: usage)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let usage: KeyUsage
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], usage: KeyUsage) {
        self.elements = elements
        self.codingPath = codingPath
        self.usage = usage
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> ValueDecoder {
        let path = codingPath + [AnyKey(intValue: currentIndex)!]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: path, debugDescription: "list too short"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: elements[currentIndex], codingPath: path, usage: usage)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let usage: KeyUsage

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch("a boolean", value, codingPath) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch("a string", value, codingPath) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let number = value.doubleValue else { throw mismatch("a number", value, codingPath) }
        return number
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode<T: BinaryInteger & FixedWidthInteger>(integer type: T.Type) throws -> T {
        guard let number = value.intValue else {
            throw mismatch(value.doubleValue == nil ? "an integer" : "a whole number", value, codingPath)
        }
        guard let result = T(exactly: number) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(number) is out of range for \(T.self)"))
        }
        return result
    }

    func decode(_ type: Int.Type) throws -> Int { try decode(integer: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(integer: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(integer: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(integer: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(integer: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(integer: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(integer: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(integer: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(integer: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(integer: type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try ValueDecoder(value: value, codingPath: codingPath, usage: usage).decodeValue(type)
    }
}

extension ValueDecoder {
    /// Decodes `T`, taking JSON values as they are and primitives through the single-value
    /// container (so `String` fields get "expected a string" rather than a generic error).
    fileprivate func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        let single = SingleValueContainer(value: value, codingPath: codingPath, usage: usage)
        switch type {
        case is Bool.Type: return try single.decode(Bool.self) as! T
        case is String.Type: return try single.decode(String.self) as! T
        case is Double.Type: return try single.decode(Double.self) as! T
        case is Float.Type: return try single.decode(Float.self) as! T
        case is Int.Type: return try single.decode(Int.self) as! T
        case is Int32.Type: return try single.decode(Int32.self) as! T
        case is Int64.Type: return try single.decode(Int64.self) as! T
        case is UInt.Type: return try single.decode(UInt.self) as! T
        default: return try T(from: self)
        }
    }
}
