import Foundation
import JinaCore
import JinaYAML

/// Builders of the Kubernetes objects an export writes, as typed YAML values.
enum KubernetesObjects {
    static func namespace(_ names: KubernetesNames) -> YAMLValue {
        .map([
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": .map(["name": .string(names.namespace),
                              "labels": [("app.kubernetes.io/part-of", names.flowLabel)].yaml]),
        ])
    }

    static func configMap(name: String, labels: YAMLValueMap, names: KubernetesNames, data: [(String, String)]) -> YAMLValue {
        .map([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": names.metadata(name: name, labels: labels),
            "data": data.yaml,
        ])
    }

    /// A Service; `headless` ones (clusterIP: None) publish every pod address in DNS, so the
    /// gateway's `dns://` address sees each replica and balances requests itself.
    static func service(name: String, labels: YAMLValueMap, names: KubernetesNames, selector: YAMLValueMap,
                        ports: [(name: String, port: Int)], headless: Bool, type: GatewayServiceType = .clusterIP) -> YAMLValue {
        var spec = YAMLMapping()
        if headless {
            spec["clusterIP"] = "None"
        } else {
            spec["type"] = .string(type.rawValue)
        }
        spec["selector"] = selector.yaml
        spec["ports"] = .sequence(ports.map { port in
            .map(["name": .string(port.name), "port": .int(port.port), "targetPort": .string(port.name),
                  "protocol": "TCP"])
        })
        return .map([
            "apiVersion": "v1", "kind": "Service",
            "metadata": names.metadata(name: name, labels: labels),
            "spec": .mapping(spec),
        ])
    }

    static func deployment(name: String, labels: YAMLValueMap, names: KubernetesNames, selector: YAMLValueMap,
                           replicas: Int, pod: YAMLValue) -> YAMLValue {
        .map([
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": names.metadata(name: name, labels: labels),
            "spec": .map([
                "replicas": .int(replicas),
                "selector": .map(["matchLabels": selector.yaml]),
                "strategy": .map([
                    "type": "RollingUpdate",
                    "rollingUpdate": .map(["maxSurge": 1, "maxUnavailable": 0]),
                ]),
                "template": .map(["metadata": .map(["labels": labels.yaml]), "spec": pod]),
            ]),
        ])
    }

    /// Prometheus operator's ServiceMonitor: scrape `GET /metrics` on the `monitoring` port
    /// of every pod behind the Service.
    static func serviceMonitor(name: String, labels: YAMLValueMap, names: KubernetesNames, selector: YAMLValueMap) -> YAMLValue {
        .map([
            "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": names.metadata(name: name, labels: labels),
            "spec": .map([
                "selector": .map(["matchLabels": selector.yaml]),
                "namespaceSelector": .map(["matchNames": .strings([names.namespace])]),
                "endpoints": [.map(["port": "monitoring", "path": "/metrics", "interval": "15s"])],
            ]),
        ])
    }

    /// How kubelet checks a container.
    enum Check {
        /// Native gRPC health check (`grpc.health.v1.Health/Check`, service "").
        case grpc(port: Int)
        case http(port: Int, path: String)
        case tcp(port: Int)

        var handler: (String, YAMLValue) {
            switch self {
            case .grpc(let port): ("grpc", .map(["port": .int(port)]))
            case .http(let port, let path): ("httpGet", .map(["path": .string(path), "port": .int(port)]))
            case .tcp(let port): ("tcpSocket", .map(["port": .int(port)]))
            }
        }
    }

    /// Startup (allowing `timeoutReady` ms; -1 = a day), readiness and liveness probes.
    static func probes(_ check: Check, timeoutReady: Int) -> [(String, YAMLValue)] {
        let period = 5
        let startupFailures = timeoutReady < 0 ? 17_280 : max(1, (timeoutReady + period * 1000 - 1) / (period * 1000))
        func probe(period: Int, failures: Int) -> YAMLValue {
            var mapping = YAMLMapping([check.handler])
            mapping["periodSeconds"] = .int(period)
            mapping["timeoutSeconds"] = 3
            mapping["failureThreshold"] = .int(failures)
            return .mapping(mapping)
        }
        return [
            ("startupProbe", probe(period: period, failures: startupFailures)),
            ("readinessProbe", probe(period: 5, failures: 2)),
            ("livenessProbe", probe(period: 10, failures: 3)),
        ]
    }

    /// `env` entries read from Secrets: `env_from_secret: {VAR: {name: SECRET, key: KEY}}`.
    static func secretEnvironment(_ fromSecret: [String: SpecValue], owner: String) throws(JinaError) -> [YAMLValue] {
        var entries: [YAMLValue] = []
        for variable in fromSecret.keys.sorted() {
            guard let reference = fromSecret[variable]?.objectValue,
                  let secret = reference["name"]?.stringValue, let key = reference["key"]?.stringValue else {
                throw JinaError(.invalidInput, "\(owner): env_from_secret.\(variable) must be {name: SECRET, key: KEY}")
            }
            entries.append(.map([
                "name": .string(variable),
                "valueFrom": .map(["secretKeyRef": .map(["name": .string(secret), "key": .string(key)])]),
            ]))
        }
        return entries
    }

    /// `gpus` as an `nvidia.com/gpu` count; nil for none.
    static func gpuCount(_ gpus: String?, owner: String) throws(JinaError) -> Int? {
        guard let gpus, !gpus.isEmpty else { return nil }
        guard let count = Int(gpus.trimmingCharacters(in: .whitespaces)), count >= 0 else {
            throw JinaError(.invalidInput, "\(owner): gpus `\(gpus)` is not a number of GPUs",
                            hint: "Kubernetes schedules whole GPUs: write `gpus: 1` (a count)")
        }
        return count == 0 ? nil : count
    }

    /// The init container that pulls a Hub package into the pod's `hub` volume: the jina
    /// image running `jina hub pull REGISTRY/NS/NAME@DIGEST --output /hub/package`. The
    /// executor's environment goes along (JINA_HUB_USERNAME/PASSWORD, JINA_HUB_INSECURE).
    static func hubPullContainer(image: String, command: [String], env: [YAMLValue], envConfigMap: String?) -> YAMLValue {
        var container = YAMLMapping()
        container["name"] = "hub-pull"
        container["image"] = .string(image)
        container["imagePullPolicy"] = "IfNotPresent"
        container["command"] = .strings(command)
        if !env.isEmpty { container["env"] = .sequence(env) }
        if let envConfigMap { container["envFrom"] = [.map(["configMapRef": .map(["name": .string(envConfigMap)])])] }
        container["volumeMounts"] = [.map(["name": "hub", "mountPath": .string(ContainerLayout.hubDirectory)])]
        container["securityContext"] = .map(["allowPrivilegeEscalation": false, "runAsNonRoot": true])
        return .mapping(container)
    }

    /// One container plus the pod around it.
    struct Pod {
        var containerName: String
        var container: ExecutorContainerSpec
        var imagePullSecrets: [String]
        var volumes: [YAMLValue] = []
        var initContainers: [YAMLValue] = []

        var yaml: YAMLValue {
            var pod = YAMLMapping()
            pod["enableServiceLinks"] = false
            if !imagePullSecrets.isEmpty {
                pod["imagePullSecrets"] = .sequence(imagePullSecrets.map { .map(["name": .string($0)]) })
            }
            if !initContainers.isEmpty { pod["initContainers"] = .sequence(initContainers) }
            pod["containers"] = [container.yaml(name: containerName)]
            if !volumes.isEmpty { pod["volumes"] = .sequence(volumes) }
            return .mapping(pod)
        }
    }

    /// The parts of a container that differ between executors and the gateway.
    struct ExecutorContainerSpec {
        var image: String
        var command: [String]?
        var args: [String]
        var ports: [(name: String, port: Int)]
        var env: [YAMLValue]
        var envConfigMap: String?
        var gpus: Int?
        var check: Check
        var timeoutReady: Int
        var runsAsJinaUser: Bool
        var volumeMounts: [YAMLValue] = []

        func yaml(name: String) -> YAMLValue {
            var container = YAMLMapping()
            container["name"] = .string(name)
            container["image"] = .string(image)
            container["imagePullPolicy"] = "IfNotPresent"
            if let command { container["command"] = .strings(command) }
            container["args"] = .strings(args)
            container["ports"] = .sequence(ports.map { .map(["name": .string($0.name), "containerPort": .int($0.port), "protocol": "TCP"]) })
            if !env.isEmpty { container["env"] = .sequence(env) }
            if let envConfigMap { container["envFrom"] = [.map(["configMapRef": .map(["name": .string(envConfigMap)])])] }
            var resources = YAMLMapping()
            resources["requests"] = .map(["cpu": "100m", "memory": "128Mi"])
            if let gpus { resources["limits"] = .map(["nvidia.com/gpu": .int(gpus)]) }
            container["resources"] = .mapping(resources)
            for (key, probe) in KubernetesObjects.probes(check, timeoutReady: timeoutReady) { container[key] = probe }
            var security = YAMLMapping()
            security["allowPrivilegeEscalation"] = false
            if runsAsJinaUser { security["runAsNonRoot"] = true }
            container["securityContext"] = .mapping(security)
            if !volumeMounts.isEmpty { container["volumeMounts"] = .sequence(volumeMounts) }
            return .mapping(container)
        }
    }
}
