import Foundation

/// What `jina hub new NAME` writes: a package that pushes as it is, with a test and a README.
///
/// - `python`: Jina Hub's layout — `manifest.yml`, `config.yml` (`jtype: NAME`,
///   `metas.py_modules`), `executor.py` (a docarray v2 executor), `requirements.txt`,
///   `tests/test_executor.py` (pytest, calling the executor directly), `README.md`.
/// - `program`: a Swift package with an executor built on the jina Swift SDK, a test of its
///   endpoint logic, `manifest.yml` (`kind: program`, `executable: bin/NAME`) and a README
///   saying how to build the program into `bin/` before pushing.
public enum PackageTemplate {
    public struct File: Equatable, Sendable {
        public var path: String
        public var contents: String
    }

    public static func files(name: String, kind: PackageManifest.Kind) -> [File] {
        switch kind {
        case .python: python(name)
        case .program: program(name)
        }
    }

    /// `my-encoder` → `MyEncoder`: the class or type name of a package name.
    static func typeName(_ name: String) -> String {
        let parts = name.split(whereSeparator: { "-_.".contains($0) })
        let joined = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        guard let first = joined.first, first.isLetter else { return "Executor" + joined }
        return joined
    }

    private static func manifest(_ name: String, kind: PackageManifest.Kind) -> String {
        var text = """
            # The package: its name and version become the registry's NAME and default TAG.
            name: \(name)
            version: 0.1.0
            description: "What \(name) does, in one line"
            keywords: []
            url: ""

            """
        if kind == .program {
            text += """
                # A prebuilt linux-x86_64 program serving the executor (see README.md to build it).
                kind: program
                executable: bin/\(name)

                """
        }
        return text
    }

    private static func python(_ name: String) -> [File] {
        let type = typeName(name)
        return [
            File(path: "manifest.yml", contents: manifest(name, kind: .python)),
            File(path: "config.yml", contents: """
                jtype: \(type)
                with:
                  suffix: "!"
                metas:
                  py_modules:
                    - executor.py

                """),
            File(path: "executor.py", contents: """
                from docarray import DocList
                from docarray.documents import TextDoc
                from jina import Executor, requests


                class \(type)(Executor):
                    \"\"\"Appends `suffix` to the text of every document.\"\"\"

                    def __init__(self, suffix: str = '!', **kwargs):
                        super().__init__(**kwargs)
                        self.suffix = suffix

                    @requests
                    def process(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
                        for doc in docs:
                            doc.text = (doc.text or '') + self.suffix
                        return docs

                """),
            File(path: "requirements.txt", contents: """
                # Python packages the executor needs besides jina; jina does not install them:
                # pip install -r requirements.txt into the Python that runs the executors.

                """),
            File(path: "tests/test_executor.py", contents: """
                import pathlib
                import sys

                from docarray import DocList
                from docarray.documents import TextDoc

                sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

                from executor import \(type)  # noqa: E402


                def test_process_appends_the_suffix():
                    docs = DocList[TextDoc]([TextDoc(text='hello')])
                    out = \(type)(suffix='?').process(docs)
                    assert out.text == ['hello?']

                """),
            File(path: "README.md", contents: """
                # \(name)

                A Jina executor, packaged for `jina hub`.

                * Test: `python -m pytest tests` (with jina 3.x installed).
                * Publish: `jina hub push . --registry HOST[:PORT] --namespace NS` (the tag is `version` in
                  manifest.yml). It prints `HOST/NS/\(name):0.1.0@sha256:…`.
                * Use it in a Flow:

                ```yaml
                jtype: Flow
                executors:
                  - name: \(name.replacingOccurrences(of: ".", with: "-"))
                    uses: jinaai://NS/\(name):0.1.0
                ```

                and run it with `JINA_HUB_REGISTRY=HOST[:PORT] jina flow --uses flow.yml --lock` to pin
                the digest in flow.lock.

                """),
        ]
    }

    private static func program(_ name: String) -> [File] {
        let type = typeName(name)
        return [
            File(path: "manifest.yml", contents: manifest(name, kind: .program)),
            File(path: "Package.swift", contents: """
                // swift-tools-version:6.1
                import PackageDescription

                // JINA_SDK: the jina repository (a URL or a local path) that provides JinaRuntime.
                let sdk = Context.environment["JINA_SDK"] ?? "https://github.com/jina-swift/jina"

                let package = Package(
                    name: "\(name)",
                    platforms: [.macOS(.v15)],
                    dependencies: [
                        sdk.hasPrefix("/") ? .package(path: sdk) : .package(url: sdk, branch: "main"),
                    ],
                    targets: [
                        .target(name: "\(type)Logic", dependencies: [.product(name: "JinaRuntime", package: "jina")]),
                        .executableTarget(name: "\(name)", dependencies: ["\(type)Logic"]),
                        .testTarget(name: "\(type)Tests", dependencies: ["\(type)Logic"]),
                    ]
                )

                """),
            File(path: "Sources/\(type)Logic/\(type).swift", contents: """
                import JinaRuntime

                /// Appends "!" to the text of every document, on every endpoint.
                public struct \(type): SimpleExecutor {
                    public init() {}

                    public var endpoints: [Endpoint] {
                        Endpoint { documents, _ in
                            for index in documents.indices { documents[index].text = Self.shout(documents[index].text ?? "") }
                        }
                    }

                    public static func shout(_ text: String) -> String { text + "!" }
                }

                """),
            File(path: "Sources/\(name)/main.swift", contents: """
                import \(type)Logic
                import JinaRuntime

                await ExecutorMain.run(\(type).self)

                """),
            File(path: "Tests/\(type)Tests/\(type)Tests.swift", contents: """
                import Testing
                import \(type)Logic

                @Test func shoutAppendsAnExclamationMark() {
                    #expect(\(type).shout("hello") == "hello!")
                }

                """),
            File(path: "README.md", contents: """
                # \(name)

                A custom jina executor written with the Swift SDK, packaged for `jina hub` as a prebuilt
                linux-x86_64 program.

                * Test: `swift test`.
                * Build the program into the package (on Linux, x86-64):

                  ```sh
                  swift build -c release --product \(name) --static-swift-stdlib
                  mkdir -p bin && cp "$(swift build -c release --show-bin-path)/\(name)" bin/
                  ```

                * Publish: `jina hub push . --registry HOST[:PORT] --namespace NS`; only what the package
                  needs at run time has to be in the folder, but the sources may go along.
                * Use it in a Flow: `uses: jinaai://NS/\(name):0.1.0`.

                """),
            File(path: ".gitignore", contents: ".build/\nbin/\nPackage.resolved\n"),
        ]
    }
}
