"""Command modules: one per CLI command, wired together by ``vapi_codegen.cli``."""
