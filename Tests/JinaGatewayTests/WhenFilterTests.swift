import JinaCore
@testable import JinaGateway
import Testing

@Suite("when: docarray's query language")
struct WhenFilterTests {
    static let documents: [Document] = [
        Document(id: "a", text: "apple pie", tags: ["category": "A", "price": 10, "stock": 3.5, "labels": ["x", "y"], "meta": ["kind": "fruit"]]),
        Document(id: "b", text: "banana", tags: ["category": "B", "price": 20]),
        Document(fields: ["id": .text("c"), "text": .null, "tags": ["category": "C", "price": 30, "sold": true]]),
    ]

    func ids(_ condition: SpecValue) throws -> [String] {
        try WhenFilter(condition).filter(Self.documents).compactMap(\.id)
    }

    @Test("comparison operators on tags, with `__` and `.` paths")
    func comparisons() throws {
        #expect(try ids(["tags__category": ["$eq": "A"]]) == ["a"])
        #expect(try ids(["tags.category": ["$eq": "B"]]) == ["b"])
        #expect(try ids(["tags__category": ["$neq": "A"]]) == ["b", "c"])
        #expect(try ids(["tags__category": ["$ne": "A"]]) == ["b", "c"])
        #expect(try ids(["tags__price": ["$gt": 10]]) == ["b", "c"])
        #expect(try ids(["tags__price": ["$gte": 20]]) == ["b", "c"])
        #expect(try ids(["tags__price": ["$lt": 20]]) == ["a"])
        #expect(try ids(["tags__price": ["$lte": 20]]) == ["a", "b"])
        #expect(try ids(["tags__price": ["$eq": .double(10.0)]]) == ["a"])
        #expect(try ids(["tags__stock": ["$gt": 3]]) == ["a"])
        #expect(try ids(["tags__meta__kind": ["$eq": "fruit"]]) == ["a"])
        #expect(try ids(["tags__labels__1": ["$eq": "y"]]) == ["a"])
    }

    @Test("$in, $nin, $regex, $exists, $size")
    func otherOperators() throws {
        #expect(try ids(["tags__category": ["$in": ["A", "C"]]]) == ["a", "c"])
        #expect(try ids(["tags__category": ["$nin": ["A", "C"]]]) == ["b"])
        #expect(try ids(["text": ["$regex": "^b.n"]]) == ["b"])
        #expect(try ids(["text": ["$regex": "pie"]]) == ["a"])
        #expect(try ids(["tags__sold": ["$exists": true]]) == ["c"])
        #expect(try ids(["tags__sold": ["$exists": false]]) == ["a", "b"])
        #expect(try ids(["tags__labels": ["$size": 2]]) == ["a"])
        // A missing field fails every operator but `$exists: false`, as in docarray.
        #expect(try ids(["tags__missing": ["$neq": "A"]]) == [])
        // A None field exists and equals null.
        #expect(try ids(["text": ["$eq": .null]]) == ["c"])
    }

    @Test("$and, $or, $not, several fields and several operators are combined")
    func logical() throws {
        #expect(try ids(["$or": [["tags__category": ["$eq": "A"]], ["tags__price": ["$gte": 30]]]]) == ["a", "c"])
        #expect(try ids(["$and": [["tags__price": ["$gt": 10]], ["tags__price": ["$lt": 30]]]]) == ["b"])
        #expect(try ids(["tags__price": ["$gt": 10, "$lt": 30]]) == ["b"])
        #expect(try ids(["tags__category": ["$neq": "A"], "tags__price": ["$lt": 30]]) == ["b"])
        #expect(try ids(["$not": [["tags__category": ["$eq": "A"]]]]) == ["b", "c"])
        #expect(try ids([["tags__price": ["$gt": 10]], ["tags__price": ["$lt": 30]]]) == ["b"])
    }

    @Test("an unknown operator or a malformed condition is invalid input")
    func invalid() {
        #expect(throws: GatewayError.self) { try WhenFilter(["tags__x": ["$like": "a"]]) }
        #expect(throws: GatewayError.self) { try WhenFilter(["tags__x": "A"]) }
        #expect(throws: GatewayError.self) { try WhenFilter(["$or": "A"]) }
        #expect(throws: GatewayError.self) { try WhenFilter(["text": ["$regex": "("]]) }
    }
}

@Suite("DocumentIDScan")
struct DocumentIDScanTests {
    @Test("finds a document, or a nested one, without an id, without decoding")
    func scan() throws {
        #expect(DocumentIDScan.allDocumentsHaveIDs(try makeRequest(["a", "b"]).encodedData) == true)
        #expect(DocumentIDScan.allDocumentsHaveIDs(try makeRequest([]).encodedData) == true)

        var request = try makeRequest(["a"])
        try request.setDocuments([Document(id: "x"), Document(text: "no id")])
        #expect(DocumentIDScan.allDocumentsHaveIDs(request.encodedData) == false)
        try request.setDocuments([Document(id: "", text: "empty id")])
        #expect(DocumentIDScan.allDocumentsHaveIDs(request.encodedData) == false)
        try request.setDocuments([Document(id: "p", chunks: [Document(id: "c1"), Document(text: "c2")])])
        #expect(DocumentIDScan.allDocumentsHaveIDs(request.encodedData) == false)
        try request.setDocuments([Document(id: "p", chunks: [Document(id: "c1")], matches: [Document(id: "m1")])])
        #expect(DocumentIDScan.allDocumentsHaveIDs(request.encodedData) == true)
    }
}
