// The document model is its own module (the executor SDK shows it alone); everything that
// imports JinaCore sees it too.
@_exported import JinaDocument
