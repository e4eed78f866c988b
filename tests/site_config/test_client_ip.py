"""Flood control and moderation see the real client address, not one a client made up."""

from django.test import RequestFactory

import pytest

from site_config.client_ip import get_client_ip


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_remote_addr_by_default_even_with_a_spoofed_header(settings) -> None:
    settings.CLIENT_IP_HEADER = ""
    assert get_client_ip(request_from("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("198.51.100.9", 1, "198.51.100.9"),
        # The client prepends a forged address; the proxy appends the real one.
        ("1.2.3.4, 198.51.100.9", 1, "198.51.100.9"),
        ("1.2.3.4, 198.51.100.9, 10.0.0.2", 2, "198.51.100.9"),
        # Fewer hops than trusted proxies, or garbage: fall back to the socket address.
        ("", 1, "10.0.0.1"),
        ("198.51.100.9", 2, "10.0.0.1"),
        ("not-an-ip", 1, "10.0.0.1"),
    ],
)
def test_trusted_proxy_header(settings, forwarded: str, count: int, expected: str) -> None:
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXY_COUNT = count
    assert get_client_ip(request_from("10.0.0.1", forwarded)) == expected
