import pytest


@pytest.mark.django_db
def test_unknown_api_url_answers_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


@pytest.mark.django_db
def test_method_not_allowed_uses_the_error_shape(api_client):
    response = api_client.post("/api/v1/catalog/products/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
