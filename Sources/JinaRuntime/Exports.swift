// A custom executor needs the document model (`Document`, `DocValue`, `JSONValue`, `NDArray`)
// and the logger type: `import JinaRuntime` brings them along.
@_exported import JinaCore
@_exported import Logging
