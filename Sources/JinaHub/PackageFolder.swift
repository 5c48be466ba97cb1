import Foundation
import JinaCore
import JinaYAML

/// A package folder on disk, checked before it is packed: `manifest.yml`, and for a Python
/// package `config.yml` naming its class (`jtype`), for a program package an x86-64 Linux
/// executable at `executable`. Every other file (README, requirements, models) goes along;
/// `.git`, `.build`, `__pycache__`, `.pyc` files and tool caches (`.pytest_cache`, `.venv`…) do not.
public struct PackageFolder: Sendable {
    public var path: String
    public var manifest: PackageManifest
    /// Relative paths, sorted; folders have kind `.directory`.
    public var entries: [TarArchive.Entry]

    public var totalSize: Int { entries.reduce(0) { $0 + $1.contents.count } }

    public static func load(_ path: String) throws(HubError) -> PackageFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HubError(.invalidInput, "\(path) is not a folder", hint: "pass the package folder (the one holding manifest.yml)")
        }
        let manifestPath = path + "/" + PackageManifest.fileName
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw HubError(.invalidInput, "\(manifestPath): no such file",
                           hint: "a package folder needs manifest.yml with `name` and `version`; `jina hub new NAME` makes one")
        }
        let manifest = try PackageManifest.parse(String(decoding: data, as: UTF8.self), place: manifestPath)
        let entries = try collect(path)
        let folder = PackageFolder(path: path, manifest: manifest, entries: entries)
        try folder.check()
        return folder
    }

    /// What a package of `manifest.kind` must hold.
    func check() throws(HubError) {
        switch manifest.kind {
        case .python:
            let config = path + "/config.yml"
            guard let data = FileManager.default.contents(atPath: config) else {
                throw HubError(.invalidInput, "\(config): no such file",
                               hint: "a Python package needs config.yml (`jtype: MyExecutor`, `py_modules`); for a program set `kind: program` in manifest.yml")
            }
            guard let root = try? YAMLLoader.load(String(decoding: data, as: UTF8.self)),
                  case .mapping(let pairs) = root.content,
                  pairs.contains(where: { $0.key.scalar?.text == "jtype" }) || (root.tag?.hasPrefix("!") ?? false)
            else {
                throw HubError(.invalidInput, "\(config): it does not name the executor class with `jtype:`",
                               hint: "write `jtype: MyExecutor` and list its files under `metas: {py_modules: [executor.py]}`")
            }
        case .program:
            let relative = manifest.executable ?? ""
            guard let entry = entries.first(where: { $0.path == TarArchive.safePath(relative) && $0.kind == .file }) else {
                throw HubError(.invalidInput, "\(path)/\(relative): no such file (manifest.yml's `executable`)",
                               hint: "build the program (swift build -c release) and copy it there")
            }
            guard entry.mode & 0o111 != 0 else {
                throw HubError(.invalidInput, "\(path)/\(relative) is not executable", hint: "chmod +x it")
            }
            guard Self.isLinuxX86_64(entry.contents) else {
                throw HubError(.invalidInput, "\(path)/\(relative) is not an x86-64 Linux program (ELF)",
                               hint: "program packages hold a prebuilt linux-x86_64 executable; build it on Linux for x86-64")
            }
        }
    }

    /// An ELF file of class 64, little-endian, machine x86-64 (62).
    static func isLinuxX86_64(_ bytes: [UInt8]) -> Bool {
        bytes.count > 20 && bytes[0...3] == [0x7f, 0x45, 0x4c, 0x46] && bytes[4] == 2 && bytes[5] == 1
            && bytes[18] == 62 && bytes[19] == 0
    }

    /// Version control, build output and tool caches: never part of a package.
    private static let skipped: Set<String> = [".git", "__pycache__", ".DS_Store", ".build", ".pytest_cache", ".mypy_cache",
                                               ".ruff_cache", ".venv", ".tox", ".swiftpm"]

    /// Every file and folder under `root`, sorted; symbolic links are followed for files and
    /// refused for folders (they could loop).
    static func collect(_ root: String) throws(HubError) -> [TarArchive.Entry] {
        var entries: [TarArchive.Entry] = []
        func walk(_ relative: String) throws(HubError) {
            let folder = relative.isEmpty ? root : root + "/" + relative
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } catch {
                throw HubError(.invalidInput, "cannot read folder \(folder)", hint: "check its permissions")
            }
            for name in names where !skipped.contains(name) && !name.hasSuffix(".pyc") {
                let path = relative.isEmpty ? name : relative + "/" + name
                let full = root + "/" + path
                var info = stat()
                guard stat(full, &info) == 0 else {
                    throw HubError(.invalidInput, "\(full): cannot be read (a broken link?)", hint: "remove it or fix the link")
                }
                let isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    if isLink {
                        throw HubError(.invalidInput, "\(full) is a link to a folder", hint: "copy the folder into the package instead")
                    }
                    entries.append(TarArchive.Entry(path: path, kind: .directory, mode: 0o755))
                    try walk(path)
                } else if (info.st_mode & S_IFMT) == S_IFREG {
                    guard let data = FileManager.default.contents(atPath: full) else {
                        throw HubError(.invalidInput, "cannot read \(full)", hint: "check its permissions")
                    }
                    let executable = info.st_mode & 0o111 != 0
                    entries.append(TarArchive.Entry(path: path, kind: .file, mode: executable ? 0o755 : 0o644, contents: Array(data)))
                } else {
                    throw HubError(.invalidInput, "\(full) is not a regular file or folder", hint: "packages hold only files and folders")
                }
            }
        }
        try walk("")
        return entries
    }
}
