import Foundation

/// `CUDA_VISIBLE_DEVICES=RR…`: GPUs handed to replicas round-robin, exactly as Python Jina's
/// Deployment does (jina-reference; docs/python-executors.md), for Swift and Python executors
/// alike. The value comes from the executor's own `env`, else from `jina flow`'s environment
/// (a Flow-wide `with: env` value is passed on literally, as in Jina).
///
/// | after `RR` | devices |
/// |---|---|
/// | nothing | all: `0…n-1` |
/// | `a:b:c` (or `[a:b]`) | that Python slice of `0…n-1` |
/// | `k` | device `k` alone (a slice `k:k+1`) |
/// | `1,3` | those devices (not checked against n); non-numbers are kept (GPU UUIDs) |
///
/// Replica `i` of each shard gets `devices[i % count]`. n is the number of GPUs `nvidia-smi -L`
/// lists, else `CUDA_TOTAL_DEVICES`; with no GPU found the value is left alone.
enum CUDADevices {
    static let variable = "CUDA_VISIBLE_DEVICES"

    /// The value replica `replica` gets, or nil when `value` is not a round-robin request or
    /// there is nothing to hand out (then the value stays as it is).
    static func assign(_ value: String, replica: Int, deviceCount: Int) -> String? {
        guard let devices = devices(value, count: deviceCount), !devices.isEmpty else { return nil }
        return devices[replica % devices.count]
    }

    /// The devices an `RR…` value names among `count`; nil when it is not `RR…` or count is 0.
    static func devices(_ value: String, count: Int) -> [String]? {
        guard value.hasPrefix("RR"), count > 0 else { return nil }
        var spec = String(value.dropFirst(2))
        if spec.hasPrefix("["), spec.hasSuffix("]"), spec.count >= 2,
           spec.dropFirst().dropLast().allSatisfy({ $0.isNumber || $0 == "-" || $0 == ":" }) {
            spec = String(spec.dropFirst().dropLast())
        }
        if spec.isEmpty { return (0..<count).map(String.init) }
        if spec.contains(",") {
            let items = spec.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = items.compactMap { Int($0) }
            return Int(items[0]) != nil && numbers.count == items.count ? numbers.map(String.init) : items
        }
        if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 3 else { return [] }
            func bound(_ index: Int) -> Int?? {
                guard index < parts.count, !parts[index].isEmpty else { return .some(nil) }
                return Int(parts[index]).map { .some($0) } ?? nil
            }
            guard let start = bound(0), let stop = bound(1), let step = bound(2) else { return [spec] }
            return slice(count: count, start: start, stop: stop, step: step ?? 1).map(String.init)
        }
        if let index = Int(spec) {
            return slice(count: count, start: index, stop: index + 1, step: 1).map(String.init)
        }
        return [spec]
    }

    /// `list(range(count))[start:stop:step]` with Python's rules for negatives and omissions.
    static func slice(count: Int, start: Int?, stop: Int?, step: Int) -> [Int] {
        guard step != 0 else { return [] }
        func clamp(_ value: Int?, default fallback: Int) -> Int {
            guard var value else { return fallback }
            if value < 0 { value += count }
            if step > 0 { return min(max(value, 0), count) }
            return min(max(value, -1), count - 1)
        }
        let first = clamp(start, default: step > 0 ? 0 : count - 1)
        let end = clamp(stop, default: step > 0 ? count : -1)
        return Array(stride(from: first, to: end, by: step))
    }

    /// How many GPUs this machine has: `nvidia-smi -L` (its `UUID` lines), else
    /// `CUDA_TOTAL_DEVICES`, else 0.
    static func count(environment: [String: String]) -> Int {
        if let listed = nvidiaSMICount() { return listed }
        return environment["CUDA_TOTAL_DEVICES"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// The `UUID` count of `nvidia-smi -L`; nil when it is missing or fails.
    private static func nvidiaSMICount() -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nvidia-smi", "-L"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).components(separatedBy: "UUID").count - 1
    }
}
