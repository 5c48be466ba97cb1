import Foundation
import JinaYAML

extension FlowValidator {
    /// One port per protocol, nothing listed twice, TLS files in pairs.
    mutating func checkGateway(_ values: SectionValues) {
        let protocols = values.strings("protocol") ?? []
        let ports = values.ints("port") ?? []
        if let host = values.string("host"), host.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.error(at: values.valueMark("host"), "gateway: host must not be empty"))
        }
        if let repeated = firstRepeated(protocols) {
            problems.append(.error(at: values.valueMark("protocol"),
                                   "gateway: protocol \(repeated.lowercased()) is listed twice"))
        }
        if let repeated = firstRepeated(ports) {
            problems.append(.error(at: values.valueMark("port"), "gateway: port \(repeated) is listed twice"))
        }
        if !ports.isEmpty, ports.count != max(protocols.count, 1) {
            let count = max(protocols.count, 1)
            problems.append(.error(
                at: values.valueMark("port"),
                "gateway: \(count) protocol\(count == 1 ? "" : "s") but \(ports.count) port\(ports.count == 1 ? "" : "s")",
                hint: "give one port per protocol, in the same order"))
        }
        let certificate = values.has("ssl_certfile") && values.value("ssl_certfile") != nil
        let key = values.has("ssl_keyfile") && values.value("ssl_keyfile") != nil
        if certificate != key {
            let (present, missing) = certificate ? ("ssl_certfile", "ssl_keyfile") : ("ssl_keyfile", "ssl_certfile")
            problems.append(.error(at: values.valueMark(present), "gateway: `\(present)` is set but `\(missing)` is not",
                                   hint: "TLS needs both the certificate and its private key"))
        }
        if values.bool("expose_graphql_endpoint") == true, !protocols.contains(where: { $0.lowercased() == "http" }) {
            let served = protocols.isEmpty ? "grpc" : protocols.map { $0.lowercased() }.joined(separator: ", ")
            problems.append(.warning(
                at: values.valueMark("expose_graphql_endpoint"),
                "gateway: `expose_graphql_endpoint` needs a gateway that serves http; this one serves \(served), so there is no /graphql",
                hint: "add http to the gateway's `protocol` (and a port for it)"))
        }
        if let monitoring = values.int("port_monitoring"), ports.contains(monitoring) {
            problems.append(.error(at: values.valueMark("port_monitoring"),
                                   "gateway: port_monitoring \(monitoring) is also a gateway port"))
        }
    }

    private func firstRepeated<T: Hashable>(_ items: [T]) -> T? {
        var seen: Set<T> = []
        for item in items where !seen.insert(item).inserted { return item }
        return nil
    }
}
