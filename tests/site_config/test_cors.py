"""Front-end origins may call the API only when listed; nothing is open by default."""

import pytest

pytestmark = pytest.mark.django_db


def preflight(client, origin: str, path: str = "/api/v2/pages/"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )


def test_closed_by_default(client, settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = []
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://app.example")
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight(client, "https://app.example")


def test_listed_origin_is_allowed_on_the_api(client, settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    response = preflight(client, "https://app.example")
    assert response["Access-Control-Allow-Origin"] == "https://app.example"
    get = client.get("/api/v2/pages/", HTTP_ORIGIN="https://app.example")
    assert get["Access-Control-Allow-Origin"] == "https://app.example"
    assert "ETag" in get["Access-Control-Expose-Headers"]
    other = client.get("/api/v2/pages/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_never_on_the_site_or_admin(client, settings, home_page) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    for path in ("/", "/admin/login/"):
        response = client.get(path, HTTP_ORIGIN="https://app.example")
        assert "Access-Control-Allow-Origin" not in response
