import Foundation

/// Flow keys as Python Jina's `jina executor` command line takes them (its parser: dicts as one
/// JSON argument, lists as the items after the flag, booleans as bare flags).
public enum PythonFlags {
    /// `key` as Jina's command line takes it: a flag for `true`, JSON for a mapping, the items
    /// after the flag for a list, the text otherwise; nothing for `false` or null.
    public static func flag(_ key: String, _ value: SpecValue) -> [String] {
        let name = "--" + key.replacingOccurrences(of: "_", with: "-")
        switch value {
        case .null, .bool(false): return []
        case .bool(true): return [name]
        case .object: return [name, value.compactJSON]
        case .array(let items): return [name] + items.map(text)
        default: return [name, text(value)]
        }
    }

    static func text(_ value: SpecValue) -> String {
        switch value {
        case .string(let string): string
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: ""
        case .array, .object: value.compactJSON
        }
    }
}
