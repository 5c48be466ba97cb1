#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import JinaCore
import Foundation
import JinaObservability

/// How the replicas of a Python executor start (docs/python-executors.md): the running `jina`
/// binary as a lifeline shim (`jina _lifeline-exec`), which runs the interpreter with a small
/// bootstrap that hands Jina's own `executor` flags to Python Jina's worker runtime and prints
/// our `ready` line once the worker serves. Python Jina's worker cannot listen on a Unix
/// socket: each replica gets a loopback TCP port.
struct PythonLaunch: Sendable, Equatable {
    /// `--uses`: the class name, or the executor YAML's absolute path.
    var uses: String
    /// The flags every replica shares: modules, arguments, Python-only keys, workspace…
    var sharedArguments: [String]

    /// - Parameters:
    ///   - uses: the class name or the absolute path of the executor YAML.
    ///   - flowDirectory: the Flow file's folder: relative `py_modules` start there, and Python
    ///     Jina searches it for files the executor names (as it does for a Flow's executors).
    init(spec: ExecutorSpec, uses: String, usesWith: [String: SpecValue], flowDirectory: String) {
        self.uses = uses
        var arguments: [String] = []
        if !spec.pyModules.isEmpty {
            arguments += ["--py-modules"] + spec.pyModules.map { ExecutorLaunch.resolve($0, in: flowDirectory) }
        }
        arguments += ["--extra-search-paths", flowDirectory]
        if !usesWith.isEmpty { arguments += ["--uses-with", SpecValue.object(usesWith).compactJSON] }
        for key in spec.pythonOptions.keys.sorted() {
            arguments += PythonFlags.flag(key, spec.pythonOptions[key]!)
        }
        if let workspace = spec.workspace { arguments += ["--workspace", workspace] }
        // Jina's worker makes a TLS exporter from a host without a scheme: the scheme is explicit.
        if let tracing = spec.tracing { arguments += tracing.jinaArguments }
        if let metrics = spec.metricsExport { arguments += metrics.arguments }
        arguments += ["--timeout-ready", String(spec.timeoutReady)]
        sharedArguments = arguments
    }

    /// The arguments after the `jina` binary for one replica.
    /// - Parameter bootstrap: where `bootstrap` was written (`writeBootstrap`).
    func arguments(
        python: String, bootstrap: String, name: String, shard: Int, shards: Int, replica: Int, port: Int,
        monitoringPort: Int?
    ) -> [String] {
        var arguments = [LifelineExec.command, python, bootstrap, "--uses", uses] + sharedArguments
        arguments += ["--name", name, "--host", "127.0.0.1", "--port", String(port), "--replica-id", String(replica)]
        if shards > 1 { arguments += ["--shard-id", String(shard), "--shards", String(shards)] }
        if let monitoringPort { arguments += ["--monitoring", "--port-monitoring", String(monitoringPort)] }
        return arguments
    }

    /// A Python replica's environment: plain log lines (Jina's rich handler wraps at 80
    /// columns off a terminal) unless the user chose a `JINA_LOG_CONFIG`, JSON lines when
    /// `jina flow` logs JSON, our log level, and unbuffered output so lines arrive as written.
    static func environment(_ base: [String: String], logging: LoggingConfiguration?) -> [String: String] {
        var environment = base
        if environment["JINA_LOG_CONFIG"] == nil, getenv("JINA_LOG_CONFIG") == nil {
            environment["JINA_LOG_CONFIG"] = logging?.format == .json ? "json" : "plain"
        }
        environment["PYTHONUNBUFFERED"] = "1"
        return environment
    }

    /// Writes `bootstrap` into the run directory (so that `ps` shows a short command line).
    static func writeBootstrap(in runDirectory: RunDirectory) throws(OrchestratorError) -> String {
        let path = runDirectory.path + "/python_worker.py"
        guard FileManager.default.createFile(atPath: path, contents: Data(bootstrap.utf8)) else {
            throw OrchestratorError("cannot write \(path) (the start-up script of Python executors)")
        }
        return path
    }

    /// What the interpreter runs: Jina's `executor` parser over our flags, then the same worker
    /// runtime `jina executor --native` runs, with a thread that prints `ready grpc://…` when the
    /// worker serves (Jina sets `is_ready` after its gRPC server started). The worker logs a
    /// failed import or constructor and returns; then the exit status is 1.
    static let bootstrap = """
        import os, sys, threading
        sys.path[0] = os.getcwd()  # as under `python -m jina`: modules of the working directory import
        from jina.parsers import get_main_parser
        from jina.serve.executors.run import run
        from jina.jaml import JAML
        args = get_main_parser().parse_args(['executor'] + sys.argv[1:])
        args.host = args.host[0] if isinstance(args.host, list) else args.host
        args.port_monitoring = args.port_monitoring[0] if isinstance(args.port_monitoring, list) else args.port_monitoring
        port = args.port[0] if isinstance(args.port, list) else args.port
        ready = threading.Event()
        def announce():
            ready.wait()
            sys.stdout.write('ready grpc://%s:%s\\n' % (args.host, port))
            sys.stdout.flush()
        threading.Thread(target=announce, daemon=True).start()
        run(args=args, name=args.name, runtime_cls=args.runtime_cls, envs=args.env or {},
            is_started=threading.Event(), is_shutdown=threading.Event(), is_ready=ready,
            is_signal_handlers_installed=threading.Event(), jaml_classes=JAML.registered_classes())
        sys.stdout.flush()
        sys.exit(0 if ready.is_set() else 1)
        """
}
