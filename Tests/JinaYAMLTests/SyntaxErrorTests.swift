import JinaYAML
import Testing

@Suite("Loader: syntax errors")
struct SyntaxErrorTests {
    @Test func badIndentationNamesTheBlockAndPointsAtTheStrayKey() throws {
        let error = try #require(loadError("a:\n  b: 1\n c: 2\n"))
        #expect(error.message == "while parsing a block mapping at 1:1: did not find expected key")
        #expect(error.mark == mark(3, 2))
        #expect(error.hint?.contains("indentation") == true)
    }

    @Test func aValueIndentedUnderAScalarIsAnError() throws {
        let error = try #require(loadError("a: 1\n  b: 2\n"))
        #expect(error.message == "mapping values are not allowed in this context")
        #expect(error.mark == mark(2, 4))
        #expect(error.hint?.contains("indentation") == true)
    }

    @Test func anUnclosedFlowSequenceNamesWhereItOpened() throws {
        let error = try #require(loadError("a: [1, 2\nb: 3\n"))
        #expect(error.message == "while parsing a flow sequence at 1:4: did not find expected ',' or ']'")
        #expect(error.mark == mark(2, 2))
        #expect(error.hint == "close the list opened at 1:4 with ']', or quote an item that contains ',' or ']'")
    }

    @Test func anUnquotedExpressionInAFlowCollectionSaysToQuoteIt() throws {
        let list = try #require(loadError("port: [${{ ENV.P }}]\n"))
        #expect(list.message == "while parsing a flow sequence at 1:7: did not find expected ',' or ']'")
        #expect(list.hint?.hasPrefix("quote the ${{ … }} expression (e.g. ['${{ ENV.P }}'])") == true)
        let mapping = try #require(loadError("env: {A: ${{ ENV.P }}}\n"))
        #expect(mapping.hint?.hasPrefix("quote the ${{ … }} expression") == true)
        // Elsewhere on the line, an expression changes nothing.
        let other = try #require(loadError("a: ${{ ENV.P }}\nb: [1, 2\nc: 3\n"))
        #expect(other.hint == "close the list opened at 2:4 with ']', or quote an item that contains ',' or ']'")
    }

    @Test func anUnclosedFlowMappingAtTheEnd() throws {
        let error = try #require(loadError("a: {b: 1\n"))
        #expect(error.message.hasPrefix("while parsing a flow mapping at 1:4: "))
        #expect(error.mark == mark(2, 1))
        #expect(error.hint?.contains("'}'") == true)
    }

    @Test func anUnclosedQuote() throws {
        let error = try #require(loadError("a: 'abc\n"))
        #expect(error.message == "while scanning a quoted scalar at 1:4: found unexpected end of stream")
        #expect(error.hint == "close the quote opened at 1:4")
    }

    @Test func tabIndentationGetsATabHint() throws {
        let error = try #require(loadError("a:\n\tb: 1\n"))
        #expect(error.mark == mark(2, 1))
        #expect(error.message.contains("found character that cannot start any token"))
        #expect(error.hint == "indent with spaces: YAML does not allow tabs for indentation")
    }

    @Test func aTabThatBreaksIndentationAfterAScalarGetsTheTabHint() throws {
        let error = try #require(loadError("a: 1\n\tb: 2\n"))
        #expect(error.hint == "indent with spaces: YAML does not allow tabs for indentation")
    }

    @Test func tabsInsideValuesAreFine() throws {
        #expect(try load("a: \"x\ty\"\nb: x\ty\n")["b"]?.value == .string("x\ty"))
    }

    @Test func aListItemInAMappingIsAnError() throws {
        let error = try #require(loadError("a:\n  - 1\n  b: 2\n"))
        #expect(error.message == "while parsing a block collection at 2:3: did not find expected '-' indicator")
        #expect(error.mark == mark(3, 3))
    }

    @Test func undefinedAliases() throws {
        let error = try #require(loadError("a: *nowhere\n"))
        #expect(error.message == "found undefined alias")
        #expect(error.mark == mark(1, 4))
        #expect(error.hint != nil)
    }

    @Test func duplicateAnchors() throws {
        let error = try #require(loadError("a: &x 1\nb: &x 2\n"))
        #expect(error.message == "duplicate anchor (first defined at 1:4)")
        #expect(error.mark == mark(2, 4))
    }

    @Test func controlCharactersAreRejectedWithTheirPosition() throws {
        let error = try #require(loadError("a: 1\nb: x\u{1}y\n"))
        #expect(error.message == "control characters are not allowed (U+0001)")
        #expect(error.mark == mark(2, 5))
    }

    @Test func aValueStartingWithAtSignNeedsQuotes() throws {
        let error = try #require(loadError("a: @x\n"))
        #expect(error.hint == "quote a value that starts with '@' or '`'")
    }

    @Test func errorsAfterNonASCIITextCountCharacters() throws {
        // e + U+0301: one character, two Unicode scalars (libyaml counts scalars).
        let error = try #require(loadError("e\u{301}: [1, 2\nbe\u{301}: 3\n"))
        #expect(error.message.hasPrefix("while parsing a flow sequence at 1:4:"))
        #expect(error.mark == mark(2, 3))
    }
}
