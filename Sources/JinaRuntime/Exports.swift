// What a custom executor sees with `import JinaRuntime`: the SDK declared here, the document
// model (`Document`, `DocValue`, `JSONValue`, `NDArray`) and the logger type — not the Flow
// validator and the rest of JinaCore, which the runtime uses inside.
@_exported import JinaDocument
@_exported import Logging
