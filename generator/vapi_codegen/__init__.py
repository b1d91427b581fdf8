"""vapi-codegen: OpenAPI 3.x -> Pydantic v2 models, httpx clients and FastAPI server skeletons."""

__version__ = "0.1.0"
