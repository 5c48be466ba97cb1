import Foundation
import JinaYAML

extension FlowValidator {
    /// Python executors (issue #12), offline and without Python: every `py_modules` file and
    /// executor YAML must exist (relative to `directory`, the Flow file's folder); a class that
    /// no module defines is a warning with a did-you-mean (it may be re-exported by a package);
    /// keys only Python Jina's worker acts on are warnings on other executors.
    /// An executor YAML is read and checked as `jina flow` will run it.
    /// `directory` nil skips the file checks (a Flow read from text alone).
    mutating func checkPython(directory: String?) {
        for draft in drafts {
            switch draft.uses {
            case .python, .config: break  // an executor YAML may name a Python class
            default: warnPythonOnlyKeys(draft)
            }
            guard let directory else { continue }
            if case .config(let path) = draft.uses, let entry = draft.own["uses"] {
                let file = FlowPath.resolve(path, in: directory)
                if !FileManager.default.fileExists(atPath: file) {
                    problems.append(.error(at: entry.valueMark, "uses: no such executor YAML `\(path)` (looked for \(file))",
                                           hint: "paths in a Flow are relative to the Flow file's folder"))
                } else {
                    // The file's own problems, at their place in it, in the same pass.
                    problems += ExecutorFileDefaults.diagnostics(draft.spec, flowDirectory: directory, displayFolder: displayFolder)
                }
            }
            guard isPython(draft) else { continue }
            var files: [String] = []
            for (module, mark) in moduleEntries(draft) {
                let file = FlowPath.resolve(module, in: directory)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                    problems.append(.error(at: mark, "py_modules: no such file `\(module)` (looked for \(file))",
                                           hint: "paths in a Flow are relative to the Flow file's folder"))
                    continue
                }
                files += isDirectory.boolValue ? PythonModuleScan.pythonFiles(under: file) : [file]
            }
            if case .python(let name) = draft.uses, !files.isEmpty, let entry = draft.own["uses"] {
                let classes = PythonModuleScan.classNames(in: files)
                if !classes.contains(name) {
                    let modules = draft.values.strings("py_modules")?.joined(separator: ", ") ?? ""
                    problems.append(.warning(
                        at: entry.valueMark, "uses: no `class \(name)` in py_modules (\(modules))",
                        hint: DidYouMean.hint(for: name, among: classes.sorted())
                            ?? "if a package re-exports it, Python Jina finds it at start-up; otherwise check the class name"))
                }
            }
        }
    }

    /// Whether the entry runs under Python Jina as far as the Flow file tells.
    private func isPython(_ draft: ExecutorDraft) -> Bool {
        if case .python = draft.uses { return true }
        return false
    }

    /// Each `py_modules` path with where it was written (an item of a list, or the value).
    private func moduleEntries(_ draft: ExecutorDraft) -> [(String, Mark)] {
        guard let entry = draft.values["py_modules"] else { return [] }
        if case .sequence(let items) = entry.node.content {
            return items.compactMap { item in item.scalar.map { ($0.text, item.mark) } }
        }
        return (draft.values.strings("py_modules") ?? []).map { ($0, entry.valueMark) }
    }

    /// A Python-only key set on a built-in or program executor does nothing: say so.
    private mutating func warnPythonOnlyKeys(_ draft: ExecutorDraft) {
        for key in FlowKeys.pythonOnly.sorted() {
            guard let entry = draft.values[key], entry.value != nil, entry.value != .null,
                  entry.value != FlowKeys.executor[key]?.defaultValue else { continue }
            // Inherited from `with:`: one warning there, however many executors ignore it.
            let who = entry.inherited ? "the executors that are not Python ignore it" : "executor `\(draft.name)` ignores it"
            problems.append(.warning(at: entry.keyMark, "`\(key)` is used by Python executors only; \(who)"))
        }
    }
}

/// Reads Python source without running it: which classes a set of modules defines.
enum PythonModuleScan {
    /// The `.py` files of a package folder (at most 500, in a stable order).
    static func pythonFiles(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String, files.count < 500 {
            if relative.hasSuffix(".py") { files.append(FlowPath.resolve(relative, in: folder)) }
        }
        return files.sorted()
    }

    /// Names `N` of every line `class N(` or `class N:` (any indentation) in `files`.
    static func classNames(in files: [String]) -> Set<String> {
        var names = Set<String>()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                guard trimmed.hasPrefix("class ") else { continue }
                let name = trimmed.dropFirst("class ".count).drop { $0 == " " }
                    .prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                let rest = trimmed.dropFirst("class ".count).drop { $0 == " " }.dropFirst(name.count).drop { $0 == " " }
                if !name.isEmpty, rest.first == "(" || rest.first == ":" { names.insert(String(name)) }
            }
        }
        return names
    }
}
