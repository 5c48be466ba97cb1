import Foundation
import JinaCore
import Testing

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" {"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(value == ["a": [1, -2.5, 300.0, true, false, nil], "b": ["c": "d"], "e": ""])
    }

    @Test func keepsIntegersApartFromFloats() throws {
        #expect(try JSONValue(parsing: "2") == .integer(2))
        #expect(try JSONValue(parsing: "2.0") == .number(2))
        #expect(try JSONValue(parsing: "2e0") == .number(2))
        #expect(try JSONValue(parsing: "-0") == .integer(0))
        // Beyond Int: a number, not a failure.
        #expect(try JSONValue(parsing: "123456789012345678901234567890") == .number(1.2345678901234568e29))
        #expect(JSONValue.integer(2) != JSONValue.number(2))
        #expect(JSONValue.integer(2).doubleValue == JSONValue.number(2).doubleValue)
    }

    @Test func decodesStringEscapes() throws {
        let value = try JSONValue(parsing: #""q\"b\\s\/n\nt\tu\u00e9 pair\ud83d\ude00 lone\ud800.""#)
        #expect(value == .string("q\"b\\s/n\nt\tu\u{e9} pair\u{1F600} lone\u{FFFD}."))
    }

    @Test(arguments: [
        ("", "line 1, column 1: unexpected end of input"),
        ("[1,]", "line 1, column 4: unexpected character"),
        ("{\"a\" 1}", "line 1, column 6: expected ':'"),
        ("[1 2]", "line 1, column 4: expected ',' or ']'"),
        ("01", "line 1, column 2: unexpected text after the JSON value"),
        ("1.", "line 1, column 3: invalid number: expected digits after '.'"),
        ("\"abc", "line 1, column 5: unterminated string"),
        ("\"a\nb\"", "line 1, column 3: control character in string"),
        ("NaN", "line 1, column 1: unexpected character"),
        ("{\n  \"é\": tru}", "line 2, column 8: unexpected character"),
    ])
    func reportsSyntaxErrorsWithLineAndColumn(text: String, expected: String) {
        #expect(throws: DocumentError("invalid JSON at \(expected)")) { try JSONValue(parsing: text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: DocumentError.self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONValue(parsing: fine)) != nil)
    }

    @Test func serializesCompactlyWithSortedKeys() {
        let value: JSONValue = ["b": [1, 2.0, 0.1, nil, true], "a": "x\"\n\u{1}é", "c": [:], "d": []]
        #expect(value.serialized() == #"{"a":"x\"\n\u0001é","b":[1,2.0,0.1,null,true],"c":{},"d":[]}"#)
    }

    @Test func writesNonFiniteNumbersAsNull() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity)]).serialized() == "[null,null]")
    }

    @Test func roundTripsThroughText() throws {
        let value: JSONValue = ["n": 1e-5, "big": 1.7976931348623157e308, "neg": -3, "s": "\u{1F600}\t",
                                "nested": [["a": [[]]]], "f": 0.30000000000000004]
        #expect(try JSONValue(parsing: value.serialized()) == value)
        #expect(try JSONValue(parsing: value.serializedBytes()) == value)
    }

    @Test func codableMatchesFoundation() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, false], "b": ["c": [:]]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        let parsed = try JSONValue(parsing: Array(data))
        #expect(parsed == value)
    }

    @Test func accessorsReturnNilForOtherKinds() {
        let value: JSONValue = ["s": "x", "i": 3, "f": 2.0]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.intValue == 3)
        #expect(value["f"]?.intValue == 2)
        #expect(value["s"]?.doubleValue == nil)
        #expect(value["missing"] == nil)
        #expect(JSONValue.array([]).objectValue == nil)
    }
}
