import JinaRuntime
struct Shout: SimpleExecutor {
    var endpoints: [Endpoint] { Endpoint.forEach("/shout") { $0.text = ($0.text ?? "").uppercased() + "!" } }
}
await ExecutorMain.run(Shout.self)
