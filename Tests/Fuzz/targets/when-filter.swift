// libFuzzer target: `when` filters (WhenFilter) — a filter and documents as JSON, the filter's
// checks at start-up, then its evaluation on every document, as the gateway runs it. The first
// line is the filter, the rest the documents (a JSON list). Any input must be refused with an
// error or evaluated, never trap (scripts/fuzz.sh when-filter).
import JinaCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWhenFilter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    guard let condition = try? JSONValue(parsing: Array(bytes[..<split])),
          let filter = try? WhenFilter(specValue(condition)) else { return 0 }
    let rest = split < bytes.endIndex ? Array(bytes[(split + 1)...]) : Array("[{\"text\": \"x\", \"tags\": {\"a\": 1}}]".utf8)
    guard let json = try? JSONValue(parsing: rest), let documents = try? [Document](json: json) else { return 0 }
    _ = filter.filter(documents)
    return 0
}

/// The filter as the Flow YAML loader gives it (whole numbers as integers).
private func specValue(_ json: JSONValue) -> SpecValue {
    switch json {
    case .null: .null
    case .bool(let value): .bool(value)
    case .integer(let value): .int(value)
    case .number(let value): value.rounded() == value && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
    case .string(let value): .string(value)
    case .array(let values): .array(values.map(specValue))
    case .object(let members): .object(members.mapValues(specValue))
    }
}
