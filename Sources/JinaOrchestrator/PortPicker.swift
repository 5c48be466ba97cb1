/// Picks ports that differ from each other and from the reserved ones: the kernel may hand the
/// same free port out twice when it is released in between, so a duplicate is picked again.
struct PortPicker {
    private(set) var taken: Set<Int>
    private let pick: () -> Int?
    /// How often a duplicate is picked again before giving up.
    private let attempts = 64

    init(reserved: Set<Int>, pick: @escaping () -> Int?) {
        taken = reserved
        self.pick = pick
    }

    /// A port not handed out or reserved before; nil when none could be found.
    mutating func next() -> Int? {
        for _ in 0..<attempts {
            guard let port = pick() else { return nil }
            if taken.insert(port).inserted { return port }
        }
        return nil
    }
}
