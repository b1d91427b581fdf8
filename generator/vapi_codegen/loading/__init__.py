"""Stage 1, loading: read a spec file (YAML or JSON) and validate it against the OpenAPI meta-schemas."""
