import ArgumentParser
import Foundation
import JinaCore
import JinaHub

extension PackageManifest.Kind: ExpressibleByArgument {}

/// `jina hub new NAME`: scaffold a package folder.
struct HubNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a package folder: a Python executor in Jina Hub's layout, or a Swift program.",
        discussion: """
            python (default): manifest.yml, config.yml, executor.py, requirements.txt, \
            tests/test_executor.py, README.md. program: manifest.yml (kind: program), a Swift \
            package built on the jina SDK with a test, and a README on building bin/NAME.

            \(ExitStatus.helpText)
            """)

    @Argument(help: ArgumentHelp("The package name (letters and digits, joined by `.`, `_` or `-`).", valueName: "NAME"))
    var name: String

    @Option(name: .long, help: ArgumentHelp("python or program.", valueName: "KIND"))
    var kind: PackageManifest.Kind = .python

    @Option(name: .long, help: ArgumentHelp("The folder to create (default: ./NAME); it must not exist or be empty.", valueName: "DIR"))
    var output: String?

    func run() throws {
        guard HubReference.isComponent(name) else {
            throw HubError(.invalidInput, "`\(name)` cannot be a package name", hint: "use letters and digits, joined by single `.`, `_` or `-`")
        }
        let folder = output ?? name
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            throw HubError(.invalidInput, "\(folder) exists and is not empty", hint: "pick another NAME or --output DIR")
        }
        if manager.fileExists(atPath: folder), (try? manager.contentsOfDirectory(atPath: folder)) == nil {
            throw HubError(.invalidInput, "\(folder) exists and is not a folder", hint: "pick another NAME or --output DIR")
        }
        for file in PackageTemplate.files(name: name, kind: kind) {
            let path = folder + "/" + file.path
            do {
                try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw HubError(.runtime, "cannot write \(path): \(error.localizedDescription)")
            }
        }
        print(folder)
    }
}
