"""The error answers every /api/ operation may give, added to the OpenAPI schema in one place.

drf-spectacular documents each operation's success; the errors come from shared code (the
exception handler in mtss/errors.py, authentication, scoping by 404, pagination, upload
limits), so they are documented here for all operations alike, with one JSON body:
`{"detail": "..."}`, or for a 400 the fields and their messages.
"""

from __future__ import annotations

from typing import Any

ERRORS = {
    "400": "The request cannot be used: the body or a filter is invalid (the fields and "
    "their messages, or `detail`).",
    "401": "No valid token or session.",
    "403": "Your role may not do this, or the token is read-only.",
    "404": "No such object among those you may see (or no such page of results).",
    "409": "The object changed since you read it.",
    "413": "The upload is larger than allowed.",
}
METHODS = {"get", "put", "patch", "post", "delete", "head", "options", "trace"}


def add_error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ApiError"] = {
        "description": "An error: `detail` says what went wrong; a 400 may instead name "
        "each field with its messages.",
        "properties": {"detail": {"type": "string"}},
    }
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
                responses.setdefault(code, {"description": text, "content": body})
    return result
