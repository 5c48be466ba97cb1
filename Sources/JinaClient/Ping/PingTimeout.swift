/// `--timeout`: a duration (`3s`, `500ms`, `1.5s`, `2m`) or a bare number of milliseconds
/// (Jina's form); `-1` waits forever (nil). At most a year: longer is surely a typo.
public enum PingTimeout {
    /// The longest timeout accepted, in milliseconds (365 days).
    public static let maximumMilliseconds: Double = 365 * 24 * 3600 * 1000

    public static func parse(_ text: String) throws(ClientError) -> Duration? {
        let value = text.trimmingWhitespace
        if value == "-1" { return nil }
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000)]
        var number = Substring(value)
        var scale = 1.0
        for unit in units where value.hasSuffix(unit.suffix) {
            number = value.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        guard let amount = Double(number), amount.isFinite, amount >= 0 else {
            throw ClientError(.invalidInput, "invalid --timeout `\(text)`",
                              hint: "a duration such as 3s or 500ms, a number of milliseconds, or -1 to wait forever")
        }
        guard amount * scale <= maximumMilliseconds else {
            throw ClientError(.invalidInput, "--timeout `\(text)` is longer than a year",
                              hint: "give at most 365 days, or -1 to wait forever")
        }
        return .microseconds(Int64(amount * scale * 1000))
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
