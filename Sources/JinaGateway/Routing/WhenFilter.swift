public import JinaCore

/// A compiled `when:` condition: docarray's query language (the subset Jina's gateway evaluates
/// per document with `docarray.utils.filter.filter_docs`).
///
/// `{field: {$op: value}}` with `$eq $neq` (`$ne` too) `$gt $gte $lt $lte $in $nin $regex
/// $exists $size`; several operators on one field, several fields in one mapping and the items
/// of a list are all ANDed; `$and`/`$or` take a list (or mapping) of conditions, `$not` negates
/// the AND of its conditions. A field is a path into the document: `tags__category` (docarray's
/// form) or `tags.category`, through dicts, nested documents and list indices. As in docarray, a
/// path that does not resolve fails every operator except `$exists: false`.
public struct WhenFilter: Sendable {
    indirect enum Node: Sendable {
        case all([Node])
        case any([Node])
        case not(Node)
        case test(path: [String], test: FieldTest)
    }

    enum FieldTest: Sendable {
        case equal(SpecValue)
        case notEqual(SpecValue)
        case greater(SpecValue, orEqual: Bool)
        case less(SpecValue, orEqual: Bool)
        case isIn([SpecValue])
        case notIn([SpecValue])
        case regex(CompiledPattern)
        case exists(Bool)
        case size(Int)
    }

    let root: Node

    /// Compiles a condition as written in the Flow YAML; throws `GatewayError` (invalid
    /// input) naming the problem for something the query language does not know.
    public init(_ condition: SpecValue) throws(GatewayError) {
        root = try Self.conditions(condition)
    }

    /// Whether `document` satisfies the condition.
    public func matches(_ document: Document) -> Bool {
        Self.evaluate(root, document)
    }

    /// The documents that satisfy the condition, in their order.
    public func filter(_ documents: [Document]) -> [Document] {
        documents.filter(matches)
    }

    // MARK: Compiling

    private static func conditions(_ value: SpecValue) throws(GatewayError) -> Node {
        switch value {
        case .object(let members):
            var nodes: [Node] = []
            for key in members.keys.sorted() {
                nodes.append(try member(key, members[key]!))
            }
            return nodes.count == 1 ? nodes[0] : .all(nodes)
        case .array(let items):
            var nodes: [Node] = []
            for item in items { nodes.append(try conditions(item)) }
            return .all(nodes)
        default:
            throw invalid("expected a condition (a mapping), got \(describe(value))")
        }
    }

    private static func member(_ key: String, _ value: SpecValue) throws(GatewayError) -> Node {
        switch key {
        case "$and": return .all(try logicalOperands(key, value))
        case "$or": return .any(try logicalOperands(key, value))
        case "$not": return .not(.all(try logicalOperands(key, value)))
        default:
            if key.hasPrefix("$") { throw invalid("unknown operator `\(key)`") }
            guard case .object(let operators) = value, !operators.isEmpty else {
                throw invalid("field `\(key)` needs a mapping of operators, got \(describe(value))")
            }
            let path = fieldPath(key)
            var nodes: [Node] = []
            for op in operators.keys.sorted() {
                let operand = operators[op]!
                switch op {
                case "$and", "$or", "$not":
                    // docarray applies a logical operator under a field to its operands alone.
                    nodes.append(try member(op, operand))
                default:
                    nodes.append(.test(path: path, test: try fieldTest(op, operand)))
                }
            }
            return nodes.count == 1 ? nodes[0] : .all(nodes)
        }
    }

    private static func logicalOperands(_ op: String, _ value: SpecValue) throws(GatewayError) -> [Node] {
        switch value {
        case .array(let items) where !items.isEmpty:
            var nodes: [Node] = []
            for item in items { nodes.append(try conditions(item)) }
            return nodes
        case .object(let members) where !members.isEmpty:
            var nodes: [Node] = []
            for key in members.keys.sorted() { nodes.append(try member(key, members[key]!)) }
            return nodes
        default:
            throw invalid("`\(op)` expects a list of conditions, got \(describe(value))")
        }
    }

    private static func fieldTest(_ op: String, _ operand: SpecValue) throws(GatewayError) -> FieldTest {
        switch op {
        case "$eq": return .equal(operand)
        case "$neq", "$ne": return .notEqual(operand)
        case "$gt": return .greater(operand, orEqual: false)
        case "$gte": return .greater(operand, orEqual: true)
        case "$lt": return .less(operand, orEqual: false)
        case "$lte": return .less(operand, orEqual: true)
        case "$in", "$nin":
            guard case .array(let items) = operand else { throw invalid("`\(op)` expects a list, got \(describe(operand))") }
            return op == "$in" ? .isIn(items) : .notIn(items)
        case "$regex":
            guard case .string(let pattern) = operand else { throw invalid("`$regex` expects a string, got \(describe(operand))") }
            guard let compiled = CompiledPattern(pattern) else { throw invalid("`$regex`: `\(pattern)` is not a valid regular expression") }
            return .regex(compiled)
        case "$exists":
            guard case .bool(let flag) = operand else { throw invalid("`$exists` expects a boolean, got \(describe(operand))") }
            return .exists(flag)
        case "$size":
            guard case .int(let size) = operand else { throw invalid("`$size` expects an integer, got \(describe(operand))") }
            return .size(size)
        default:
            throw invalid("unknown operator `\(op)`")
        }
    }

    /// `tags__category` and `tags.category` both name `["tags", "category"]`.
    static func fieldPath(_ key: String) -> [String] {
        key.replacing("__", with: ".").split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    private static func invalid(_ message: String) -> GatewayError {
        GatewayError(.invalidInput, "when: \(message)",
                     hint: "operators: $eq $neq $gt $gte $lt $lte $in $nin $regex $exists $size $and $or $not")
    }

    private static func describe(_ value: SpecValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .int(let number): "the integer \(number)"
        case .double(let number): "the number \(number)"
        case .string(let text): "the string \"\(text)\""
        case .array: "a list"
        case .object: "a mapping"
        }
    }

    // MARK: Evaluating

    private static func evaluate(_ node: Node, _ document: Document) -> Bool {
        switch node {
        case .all(let nodes): return nodes.allSatisfy { evaluate($0, document) }
        case .any(let nodes): return nodes.contains { evaluate($0, document) }
        case .not(let inner): return !evaluate(inner, document)
        case .test(let path, let test):
            let value = FieldValue.resolve(path, in: document)
            if case .exists(let wanted) = test { return (value != nil) == wanted }
            guard let value else { return false }
            return test.holds(for: value)
        }
    }
}

extension WhenFilter.FieldTest {
    /// Whether the test holds for a field that exists (its value may be `.none`, docarray's None).
    func holds(for value: FieldValue) -> Bool {
        switch self {
        case .equal(let operand): return value == FieldValue(operand)
        case .notEqual(let operand): return value != FieldValue(operand)
        case .greater(let operand, let orEqual):
            guard let order = value.compare(to: FieldValue(operand)) else { return false }
            return order > 0 || (orEqual && order == 0)
        case .less(let operand, let orEqual):
            guard let order = value.compare(to: FieldValue(operand)) else { return false }
            return order < 0 || (orEqual && order == 0)
        case .isIn(let items): return items.contains { value == FieldValue($0) }
        case .notIn(let items): return !items.contains { value == FieldValue($0) }
        case .regex(let pattern):
            guard case .string(let text) = value else { return false }
            return pattern.search(text)
        case .exists(let wanted): return wanted
        case .size(let size): return value.count == size
        }
    }
}
