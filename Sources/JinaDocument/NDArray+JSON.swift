extension NDArray {
    /// The values as nested JSON lists following the shape, as docarray's JSON does
    /// (`tolist()`): floats as numbers, integers as integers, booleans as booleans; a scalar
    /// (shape `[]`) is a bare value. Dtypes without a typed view (strings, complex…) give `null`.
    public func json() -> JSONValue {
        guard let type = DType(dtype) else { return .null }
        let leaves: [JSONValue]
        switch type.kind {
        case .float:
            guard let values = doubles() else { return .null }
            leaves = values.map(JSONValue.number)
        case .signed, .unsigned:
            guard let values = ints() else { return .null }
            leaves = values.map(JSONValue.integer)
        case .bool:
            leaves = buffer.map { .bool($0 != 0) }
        case .complex:
            return .null
        }
        var cursor = 0
        return Self.nest(leaves, shape: shape[...], cursor: &cursor)
    }

    private static func nest(_ leaves: [JSONValue], shape: ArraySlice<Int>, cursor: inout Int) -> JSONValue {
        guard let dimension = shape.first else {
            defer { cursor += 1 }
            return cursor < leaves.count ? leaves[cursor] : .null
        }
        var elements: [JSONValue] = []
        elements.reserveCapacity(dimension)
        for _ in 0..<dimension {
            elements.append(nest(leaves, shape: shape.dropFirst(), cursor: &cursor))
        }
        return .array(elements)
    }

    /// Reads a tensor from nested JSON lists, inferring shape and dtype as `numpy.asarray`
    /// does: any non-integral number gives `<f8`, else any integer gives `<i8`, else booleans give
    /// `|b1`; an empty list is `<f8` of shape `[0]`; a bare number is a scalar. Ragged lists and
    /// non-numeric elements throw, naming the element's path below `path`.
    public init(json: JSONValue, path: String = "") throws(DocumentError) {
        var shape: [Int] = []
        var probe = json
        while case .array(let elements) = probe {
            shape.append(elements.count)
            guard let first = elements.first else { break }
            probe = first
        }
        var leaves: [JSONValue] = []
        try Self.flatten(json, shape: shape[...], path: path, into: &leaves)
        if leaves.contains(where: { if case .number = $0 { true } else { false } }) {
            try self.init(doubles: leaves.map { $0.doubleValue ?? ($0.boolValue == true ? 1 : 0) }, shape: shape)
        } else if leaves.contains(where: { if case .integer = $0 { true } else { false } }) {
            try self.init(ints: leaves.map { $0.intValue ?? ($0.boolValue == true ? 1 : 0) }, shape: shape)
        } else if !leaves.isEmpty {
            try self.init(bools: leaves.map { $0.boolValue ?? false }, shape: shape)
        } else {
            try self.init(doubles: [], shape: shape)
        }
    }

    private static func flatten(
        _ value: JSONValue, shape: ArraySlice<Int>, path: String, into leaves: inout [JSONValue]
    ) throws(DocumentError) {
        guard let dimension = shape.first else {
            switch value {
            case .integer, .number, .bool: leaves.append(value)
            case .array: throw DocumentError("ragged nested list: expected a number, got a list", path: path)
            default: throw DocumentError("expected a number, got \(value.kindDescription)", path: path)
            }
            return
        }
        guard case .array(let elements) = value else {
            throw DocumentError("ragged nested list: expected a list of \(dimension), got \(value.kindDescription)",
                path: path)
        }
        guard elements.count == dimension else {
            throw DocumentError("ragged nested list: expected \(dimension) elements, got \(elements.count)",
                path: path)
        }
        for (index, element) in elements.enumerated() {
            try flatten(element, shape: shape.dropFirst(), path: JSONPath.element(path, index), into: &leaves)
        }
    }
}
