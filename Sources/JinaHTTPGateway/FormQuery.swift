import Foundation

/// A URL's query string as HTML forms (and Starlette, which Jina's gateway runs on) read it:
/// `&`-separated `name=value` pairs, `+` meaning a space, then percent-decoding.
enum FormQuery {
    static func parameters(_ query: String?) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The last value of `name`, if any.
    static func value(_ name: String, in query: String?) -> String? {
        parameters(query).last { $0.name == name }?.value
    }
}
