@testable import JinaOrchestrator
import Testing

@Suite("stderr tail")
struct StderrTailTests {
    @Test("keeps the last lines, oldest first")
    func keepsLast() {
        var tail = StderrTail(capacity: 3)
        #expect(tail.isEmpty)
        for number in 1...7 { tail.append("line \(number)") }
        #expect(tail.lines == ["line 5", "line 6", "line 7"])
        tail.append("line 8")
        #expect(tail.lines == ["line 6", "line 7", "line 8"])
    }

    @Test("fewer lines than the capacity are all kept")
    func fewer() {
        var tail = StderrTail()
        tail.append("a\r")
        tail.append("b")
        #expect(tail.lines == ["a", "b"])
    }

    @Test("long lines are cut")
    func cut() {
        var tail = StderrTail(capacity: 2, maxLineLength: 5)
        tail.append("0123456789")
        #expect(tail.lines == ["01234…"])
    }
}
