"""The address of the client behind a request, for flood control and moderation.

`REMOTE_ADDR` is the only address a client cannot forge. Behind a load balancer
or CDN, set `CLIENT_IP_HEADER` (e.g. `HTTP_X_FORWARDED_FOR`) and
`CLIENT_IP_PROXY_COUNT` (how many trusted proxies append to it); the address
that many hops from the right is then used, so a value the client prepends
itself changes nothing.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def get_client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    count = getattr(settings, "CLIENT_IP_PROXY_COUNT", 0)
    if not header or count < 1:
        return remote
    hops = [part.strip() for part in request.META.get(header, "").split(",") if part.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
