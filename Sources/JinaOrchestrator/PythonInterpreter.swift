#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The Python that runs Python executors (decisions.md): `JINA_PYTHON`, else
/// `jina flow --python PATH`, else the first `python3` on `PATH`. It must import Jina 3.x and
/// docarray ≥ 0.30 (docarray v1 is not wire-compatible); `check` finds out once, before any
/// process starts.
public enum PythonInterpreter {
    /// The variable that names the interpreter; it wins over `--python`.
    public static let variable = "JINA_PYTHON"

    /// The interpreter to use, as given (a bare name is looked up on `PATH`); nil when no
    /// `python3` is on `PATH` and none was named.
    public static func locate(option: String?, environment: [String: String]) -> String? {
        let named = environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? option
        let wanted = named ?? "python3"
        if wanted.contains("/") { return wanted }
        for folder in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(wanted)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return named
    }

    /// The pip line that makes an interpreter fit: Jina 3.34 with the pins its HTTP gateway and
    /// metrics need (shared reference requirements).
    static func installLine(_ python: String) -> String {
        "\(python) -m pip install 'jina==3.34.0' 'docarray>=0.30' 'prometheus_client==0.21.1' 'fastapi==0.115.8' 'starlette==0.45.3'"
    }

    /// What the interpreter reports about itself: one `name=value` line per module.
    static let probe = """
        import sys
        def report(name):
            try:
                module = __import__(name)
                print(name + '=' + str(getattr(module, '__version__', '?')))
            except BaseException as error:
                print(name + '!' + type(error).__name__ + ': ' + str(error).replace('\\n', ' '))
        print('python=' + sys.version.split()[0])
        report('docarray')
        report('jina')
        """

    /// Runs the probe; throws one message naming the interpreter, what is missing and the fix.
    public static func check(_ python: String?) async throws(OrchestratorError) {
        guard let python else {
            throw OrchestratorError(
                "the Flow has Python executors, but there is no `python3` on PATH",
                hint: "install Python 3 with Jina (\(installLine("python3"))), or name an interpreter with JINA_PYTHON or --python")
        }
        let lines: [String]
        do {
            let result = try await Subprocess.run(
                .path(FilePath(python)), arguments: ["-c", probe],
                environment: .inherit.updating(["JINA_OPTOUT_TELEMETRY": "1"]),
                output: .string(limit: 64 * 1024), error: .discarded)
            lines = result.standardOutput.split(separator: "\n").map(String.init)
        } catch {
            throw OrchestratorError(
                "the Flow has Python executors, but the interpreter \(python) cannot be run: \(error)",
                hint: "name a Python 3 with Jina 3.x in JINA_PYTHON or --python")
        }
        try verdict(python, lines: lines)
    }

    /// Judges the probe's output.
    static func verdict(_ python: String, lines: [String]) throws(OrchestratorError) {
        func value(_ name: String) -> (version: String?, failure: String?) {
            for line in lines {
                if line.hasPrefix(name + "=") { return (String(line.dropFirst(name.count + 1)), nil) }
                if line.hasPrefix(name + "!") { return (nil, String(line.dropFirst(name.count + 1))) }
            }
            return (nil, "it did not answer")
        }
        let fix = "install them: \(installLine(python)); or name another interpreter with JINA_PYTHON or --python"
        guard value("python").version != nil else {
            throw OrchestratorError("\(python) is not a working Python 3 interpreter (it printed \(lines.first ?? "nothing"))",
                                    hint: "name a Python 3 with Jina 3.x in JINA_PYTHON or --python")
        }
        let jina = value("jina")
        let docarray = value("docarray")
        if let failure = jina.failure {
            throw OrchestratorError("Python executors need Python Jina 3.x, but \(python) cannot import `jina` (\(failure))", hint: fix)
        }
        if let version = jina.version, major(version) != 3 {
            throw OrchestratorError("Python executors need Python Jina 3.x, but \(python) has jina \(version)", hint: fix)
        }
        if let failure = docarray.failure {
            throw OrchestratorError("Python executors need docarray ≥ 0.30, but \(python) cannot import `docarray` (\(failure))", hint: fix)
        }
        if let version = docarray.version, !atLeast(version, [0, 30]) {
            throw OrchestratorError(
                "Python executors need docarray ≥ 0.30 (v1 is not wire-compatible), but \(python) has docarray \(version)", hint: fix)
        }
    }

    private static func numbers(_ version: String) -> [Int] {
        version.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }

    private static func major(_ version: String) -> Int { numbers(version).first ?? 0 }

    private static func atLeast(_ version: String, _ minimum: [Int]) -> Bool {
        let parts = numbers(version)
        for (index, wanted) in minimum.enumerated() {
            let have = index < parts.count ? parts[index] : 0
            if have != wanted { return have > wanted }
        }
        return true
    }
}
