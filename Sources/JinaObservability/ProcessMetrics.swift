#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The standard `process_*` metrics of this process (the names the Prometheus client libraries
/// use), read from `/proc` each time they are scraped.
public struct ProcessMetrics: Sendable, Equatable {
    public var cpuSeconds: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    public var startTimeSeconds: Double
    public var openFileDescriptors: Double
    public var maxFileDescriptors: Double

    /// The values now; a field that cannot be read is 0.
    public static func read() -> ProcessMetrics {
        let ticks = Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        let page = Double(max(sysconf(Int32(_SC_PAGESIZE)), 1))
        let stat = readText("/proc/self/stat").flatMap(StatFields.init) ?? StatFields()
        let bootTime = readText("/proc/stat").flatMap(Self.bootTime) ?? 0
        var limit = rlimit()
        let maxFDs = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Double(limit.rlim_cur) : 0
        return ProcessMetrics(
            cpuSeconds: Double(stat.userTicks + stat.systemTicks) / ticks,
            residentMemoryBytes: Double(stat.residentPages) * page,
            virtualMemoryBytes: Double(stat.virtualBytes),
            startTimeSeconds: bootTime + Double(stat.startTicks) / ticks,
            openFileDescriptors: Double(countEntries("/proc/self/fd")),
            maxFileDescriptors: maxFDs)
    }

    /// The Prometheus text exposition of these values.
    public var exposition: String {
        var text = ""
        func add(_ name: String, _ type: String, _ help: String, _ value: Double) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(Self.format(value))\n"
        }
        add("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", cpuSeconds)
        add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentMemoryBytes)
        add("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtualMemoryBytes)
        add("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", startTimeSeconds)
        add("process_open_fds", "gauge", "Number of open file descriptors.", openFileDescriptors)
        add("process_max_fds", "gauge", "Maximum number of open file descriptors.", maxFileDescriptors)
        return text
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Fields of `/proc/self/stat` (man 5 proc), counted after the `)` that ends the command name.
    struct StatFields {
        var userTicks: UInt64 = 0
        var systemTicks: UInt64 = 0
        var startTicks: UInt64 = 0
        var virtualBytes: UInt64 = 0
        var residentPages: UInt64 = 0

        init() {}

        init?(_ text: String) {
            guard let close = text.lastIndex(of: ")") else { return nil }
            // Field 3 (state) is the first after ")"; utime is field 14.
            let fields = text[text.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> UInt64 {
                let index = number - 3
                return index < fields.count ? UInt64(fields[index]) ?? 0 : 0
            }
            userTicks = field(14)
            systemTicks = field(15)
            startTicks = field(22)
            virtualBytes = field(23)
            residentPages = field(24)
        }
    }

    /// `btime` of `/proc/stat`: when the machine booted, in seconds since the epoch.
    static func bootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefix(" "))
        }
        return nil
    }

    static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func countEntries(_ path: String) -> Int {
        guard let directory = opendir(path) else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        // The directory stream's own descriptor is one of them.
        return max(count - 1, 0)
    }
}
