import pytest
import yaml
from django.core.management import call_command


def test_openapi_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "openapi.yaml"
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = schema["paths"]
    assert "/api/v1/catalog/products/" in paths
    # Every operation documents 400, and every error status it documents has the one error shape.
    for path, ops in paths.items():
        for method, op in ops.items():
            assert "400" in op["responses"], (method, path)
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorResponse"), (method, path, status)


@pytest.mark.django_db
def test_swagger_ui_is_served(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_every_error_code_is_defined_once_and_listed_in_the_schema(tmp_path):
    from config.errors import ApplicationError, error_codes

    defined: dict[str, list[str]] = {}
    pending = [ApplicationError]
    while pending:
        cls = pending.pop()
        if "code" in vars(cls):
            defined.setdefault(cls.code, []).append(f"{cls.__module__}.{cls.__qualname__}")
        pending.extend(cls.__subclasses__())
    assert {code: where for code, where in defined.items() if len(where) > 1} == {}

    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(out))
    listed = yaml.safe_load(out.read_text())["components"]["schemas"]["ErrorDetail"]["properties"]["code"]["enum"]
    assert listed == error_codes()
    for code in ("insufficient_stock", "deal_sold_out", "refund_not_possible", "landed_cost_unavailable",
                 "no_size_data", "address_invalid", "unsupported_currency", "cart_empty", "service_unavailable"):
        assert code in listed
    assert set(defined) <= set(listed)
