"""Post-process the generated OpenAPI document so it lists every status an endpoint returns."""

from __future__ import annotations

from typing import Any

from apiflask import APIFlask

from invsim.api.errors import ERROR_SCHEMA
from invsim.api.routing import MAX_ID

# Statuses any operation can answer, whatever the view does.
COMMON_RESPONSES = {
    "429": "Rate limit exceeded; see Retry-After",
    "500": "Unexpected error (logged with the request id)",
    "503": "The database or cache is unreachable or timed out; see Retry-After",
}
BODY_RESPONSES = {
    "400": "Malformed JSON",
    "413": "Body larger than the limit",
    "415": "Body is not application/json",
}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _bound_path_ids(operation: dict[str, Any]) -> None:
    """Say in the document what the path converter enforces: ids are 0..MAX_ID."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and schema.get("type") == "integer":
            schema.update(minimum=0, maximum=MAX_ID)


def _body_schema(operation: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    schema: dict[str, Any] = content.get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return dict(schemas.get(ref.rsplit("/", 1)[1], {}))
    return schema


def _mark_required_body(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A body is required exactly when its schema has required fields.

    A POST without a body is read as `{}` (errors.py), so a body whose fields
    are all optional may be left out, and one with a required field may not.
    """
    if "requestBody" in operation and _body_schema(operation, schemas).get("required"):
        operation["requestBody"]["required"] = True


def _complete_operation(operation: dict[str, Any], method: str, schemas: dict[str, Any]) -> None:
    _bound_path_ids(operation)
    _mark_required_body(operation, schemas)
    responses = operation.setdefault("responses", {})
    extra = dict(COMMON_RESPONSES)
    if method in {"post", "put", "patch"}:
        extra.update(BODY_RESPONSES)
    for status, description in extra.items():
        responses.setdefault(status, _error_response(description))
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            response["content"] = _error_response("")["content"]


# Operations whose success is not JSON, and what they answer instead.
PLAIN_TEXT_SUCCESS = {
    "/metrics": "Prometheus text exposition format",
}


def _plain_text_success(spec: dict[str, Any]) -> None:
    """Say that /metrics answers text, not the JSON the generator assumes."""
    for path, description in PLAIN_TEXT_SUCCESS.items():
        operation = spec.get("paths", {}).get(path, {}).get("get")
        if operation is not None:
            operation.setdefault("responses", {})["200"] = {
                "description": description,
                "content": {"text/plain": {"schema": {"type": "string"}}}}


def complete_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the common error responses and point every error at the one Error schema."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    _plain_text_success(spec)
    for path_item in spec.get("paths", {}).values():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and "responses" in operation:
                _complete_operation(operation, method, schemas)
    return spec


def register_spec_processor(app: APIFlask) -> None:
    """Install the spec post-processor."""
    app.spec_processor(complete_spec)
