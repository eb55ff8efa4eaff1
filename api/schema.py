"""The OpenAPI schema's error responses: every operation documents the JSON errors it may give
(api.exceptions), so clients and the schema-driven tests know every status they can meet."""

from django.utils.translation import gettext as _

WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": _("错误说明。"),
        "properties": {
            "detail": {"type": "string", "description": _("错误信息。")},
            "code": {
                "type": "string",
                "description": _(
                    "错误代码:period_closed 为写入已关闭的考核月份,protected 为记录仍被引用。"
                ),
            },
        },
        "required": ["detail"],
    }
    schemas["ValidationErrors"] = {
        "type": "object",
        "description": _(
            "字段名 → 错误信息列表;non_field_errors 为不属于单个字段的错误;"
            "嵌套列表(如信访人)的错误按行给出。"
        ),
        "additionalProperties": {},
    }
    errors = {
        "400": _response(_("请求数据有误,按字段给出原因。"), "ValidationErrors"),
        "401": _response(_("未登录或令牌无效。"), "Error"),
        "403": _response(_("无权执行该操作。"), "Error"),
        "404": _response(_("不存在,或不在当前用户的范围内。"), "Error"),
        "409": _response(_("该月考核已关闭(信息中写明月份),或记录仍被其他记录引用。"), "Error"),
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            wanted = ["401", "403", "404"]
            has_query = any(p.get("in") == "query" for p in operation.get("parameters", ()))
            if method in WRITES or has_query:
                wanted.append("400")
            if method in WRITES:
                wanted.append("409")
            for code in wanted:
                responses.setdefault(code, errors[code])
    return result
