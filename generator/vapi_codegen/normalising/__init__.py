"""Stage 2, normalising: `$ref` resolution and the facts every later stage reads from raw schemas."""
