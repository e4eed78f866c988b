"""The one API v2 router. Apps contribute endpoint classes from their own api.py (`endpoints.py`
registers them when the app is ready), so the page JSON store, which builds its JSON through this
router, can import it without importing the endpoints that read the store."""

from wagtail.api.v2.router import WagtailAPIRouter

api_router = WagtailAPIRouter("wagtailapi")
