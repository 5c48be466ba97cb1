import JinaCore

/// The schema Python Jina's executor reports in `endpoint_discovery` for an endpoint whose
/// handler has no type annotations: docarray's `LegacyDocumentJina` as input and output, no
/// parameters model. Our executors take any document, so every endpoint reports this one, and a
/// Python gateway in front of us treats our endpoints exactly like untyped Python ones.
///
/// Copied from the reference's own answer (Tests/Fixtures/jina/endpoints-untyped.json, compared
/// by a test); JSON text rather than Swift literals so it can be compared by eye.
enum LegacyDocumentSchema {
    /// `{input, output, parameters, is_generator, is_singleton_doc}` for one endpoint.
    static let endpoint: JSONValue = {
        do {
            return try JSONValue(parsing: text)
        } catch {
            preconditionFailure("LegacyDocumentSchema.text is not valid JSON: \(error)")
        }
    }()

    /// The same for a streaming endpoint: `is_generator` and `is_singleton_doc` true (a Jina
    /// generator takes one `doc`), as Python Jina reports an untyped generator handler.
    static let streamingEndpoint: JSONValue = {
        guard case .object(var members) = endpoint else { return endpoint }
        members["is_generator"] = .bool(true)
        members["is_singleton_doc"] = .bool(true)
        return .object(members)
    }()

    private static let text = #"""
{
 "input": {
  "model": {
   "$defs": {
    "LegacyDocumentJina": {
     "description": "This Document is the LegacyDocumentJina. It follows the same schema as in DocArray <=0.21.\nIt can be useful to start migrating a codebase from v1 to v2.\n\nNevertheless, the API is not totally compatible with DocArray <=0.21 `Document`.\nIndeed, none of the method associated with `Document` are present. Only the schema\nof the data is similar.\n\n```python\nfrom docarray import DocList\nfrom docarray.documents.legacy import LegacyDocument\nimport numpy as np\n\ndoc = LegacyDocument(text='hello')\ndoc.url = 'http://myimg.png'\ndoc.tensor = np.zeros((3, 224, 224))\ndoc.embedding = np.zeros((100, 1))\n\ndoc.tags['price'] = 10\n\ndoc.chunks = DocList[Document]([Document() for _ in range(10)])\n\ndoc.chunks = DocList[Document]([Document() for _ in range(10)])\n```",
     "properties": {
      "blob": {
       "anyOf": [
        {
         "format": "binary",
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Blob"
      },
      "chunks": {
       "anyOf": [
        {
         "items": {
          "$ref": "#/$defs/LegacyDocumentJina"
         },
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Chunks"
      },
      "embedding": {
       "anyOf": [
        {
         "items": {
          "type": "number"
         },
         "tensor/array shape": "not specified",
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Embedding"
      },
      "id": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "description": "The ID of the BaseDoc. This is useful for indexing in vector stores. If not set by user, it will automatically be assigned a random value",
       "title": "Id"
      },
      "matches": {
       "anyOf": [
        {
         "items": {
          "$ref": "#/$defs/LegacyDocumentJina"
         },
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Matches"
      },
      "scores": {
       "anyOf": [
        {
         "type": "object"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Scores"
      },
      "tags": {
       "default": {},
       "title": "Tags",
       "type": "object"
      },
      "tensor": {
       "anyOf": [
        {
         "items": {
          "type": "number"
         },
         "tensor/array shape": "not specified",
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Tensor"
      },
      "text": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Text"
      },
      "url": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Url"
      }
     },
     "title": "LegacyDocumentJina",
     "type": "object"
    }
   },
   "$ref": "#/$defs/LegacyDocumentJina"
  },
  "name": "LegacyDocumentJina"
 },
 "is_generator": false,
 "is_singleton_doc": false,
 "output": {
  "model": {
   "$defs": {
    "LegacyDocumentJina": {
     "description": "This Document is the LegacyDocumentJina. It follows the same schema as in DocArray <=0.21.\nIt can be useful to start migrating a codebase from v1 to v2.\n\nNevertheless, the API is not totally compatible with DocArray <=0.21 `Document`.\nIndeed, none of the method associated with `Document` are present. Only the schema\nof the data is similar.\n\n```python\nfrom docarray import DocList\nfrom docarray.documents.legacy import LegacyDocument\nimport numpy as np\n\ndoc = LegacyDocument(text='hello')\ndoc.url = 'http://myimg.png'\ndoc.tensor = np.zeros((3, 224, 224))\ndoc.embedding = np.zeros((100, 1))\n\ndoc.tags['price'] = 10\n\ndoc.chunks = DocList[Document]([Document() for _ in range(10)])\n\ndoc.chunks = DocList[Document]([Document() for _ in range(10)])\n```",
     "properties": {
      "blob": {
       "anyOf": [
        {
         "format": "binary",
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Blob"
      },
      "chunks": {
       "anyOf": [
        {
         "items": {
          "$ref": "#/$defs/LegacyDocumentJina"
         },
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Chunks"
      },
      "embedding": {
       "anyOf": [
        {
         "items": {
          "type": "number"
         },
         "tensor/array shape": "not specified",
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Embedding"
      },
      "id": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "description": "The ID of the BaseDoc. This is useful for indexing in vector stores. If not set by user, it will automatically be assigned a random value",
       "title": "Id"
      },
      "matches": {
       "anyOf": [
        {
         "items": {
          "$ref": "#/$defs/LegacyDocumentJina"
         },
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Matches"
      },
      "scores": {
       "anyOf": [
        {
         "type": "object"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Scores"
      },
      "tags": {
       "default": {},
       "title": "Tags",
       "type": "object"
      },
      "tensor": {
       "anyOf": [
        {
         "items": {
          "type": "number"
         },
         "tensor/array shape": "not specified",
         "type": "array"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Tensor"
      },
      "text": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Text"
      },
      "url": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "null"
        }
       ],
       "default": null,
       "title": "Url"
      }
     },
     "title": "LegacyDocumentJina",
     "type": "object"
    }
   },
   "$ref": "#/$defs/LegacyDocumentJina"
  },
  "name": "LegacyDocumentJina"
 },
 "parameters": {
  "model": null,
  "name": null
 }
}
"""#
}
