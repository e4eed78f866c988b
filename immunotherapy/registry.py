"""The one registry of therapy types. Core code lists therapy types only through `registry`."""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Model

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from immunotherapy import __version__ as CORE_VERSION
from immunotherapy.plugins import PluginError

if TYPE_CHECKING:
    from wagtail.models import PageQuerySet


@dataclass(frozen=True)
class TherapyType:
    """A kind of therapy a plugin adds: its page model plus the metadata shown to editors."""

    slug: str
    label: str
    page_model: "type[Model] | str | None"
    version: str = "0.1.0"
    supported_core: str = ">=0.1,<1.0"
    description: str = ""
    plugin: str = ""

    @property
    def name(self) -> str:
        return self.plugin or self.slug


class TherapyTypeRegistry:
    """Therapy types by slug; registering checks the plugin and fails with one readable message."""

    def __init__(self, core_version: str = CORE_VERSION) -> None:
        self._by_slug: dict[str, TherapyType] = {}
        self.core_version = core_version

    def register(self, therapy_type: TherapyType) -> TherapyType:
        from immunotherapy.models.base import TherapyPage

        name = therapy_type.name
        if not therapy_type.slug:
            raise PluginError(f"therapy plugin {name!r}: slug is empty")
        if therapy_type.slug in self._by_slug:
            other = self._by_slug[therapy_type.slug].name
            raise PluginError(
                f"therapy plugin {name!r}: slug {therapy_type.slug!r} is already registered"
                f" by {other!r}"
            )
        try:
            supported = SpecifierSet(therapy_type.supported_core)
            Version(therapy_type.version)
        except (InvalidSpecifier, InvalidVersion) as exc:
            raise PluginError(f"therapy plugin {name!r}: bad version metadata ({exc})") from None
        if Version(self.core_version) not in supported:
            raise PluginError(
                f"therapy plugin {name!r} {therapy_type.version} supports core"
                f" {therapy_type.supported_core}, but this is core {self.core_version}"
            )
        model = therapy_type.page_model
        if isinstance(model, str):
            try:
                model = apps.get_model(model)
            except (LookupError, ValueError):
                model = None
        if model is None:
            raise PluginError(f"therapy plugin {name!r}: page model is missing")
        if not (isinstance(model, type) and issubclass(model, TherapyPage)):
            raise PluginError(
                f"therapy plugin {name!r}: page model {model!r} is not a TherapyPage subclass"
            )
        therapy_type = replace(therapy_type, page_model=model)
        self._by_slug[therapy_type.slug] = therapy_type
        return therapy_type

    def get(self, slug: str) -> TherapyType | None:
        return self._by_slug.get(slug)

    def __iter__(self) -> Iterator[TherapyType]:
        return iter(self._by_slug.values())

    def __len__(self) -> int:
        return len(self._by_slug)

    def page_models(self) -> list[type[Model]]:
        return [t.page_model for t in self._by_slug.values()]  # type: ignore[misc]

    def for_page(self, page: Model) -> TherapyType | None:
        return self.for_model(type(page))

    def for_model(self, model: type[Model] | None) -> TherapyType | None:
        for therapy_type in self._by_slug.values():
            if model is not None and issubclass(model, therapy_type.page_model):  # type: ignore[arg-type]
                return therapy_type
        return None

    def live_pages(self) -> "PageQuerySet":
        """Every live, public page of a registered type, in tree order."""
        from wagtail.models import Page

        models = self.page_models()
        if not models:
            return Page.objects.none()
        return Page.objects.live().public().type(*models).specific().order_by("path")


registry = TherapyTypeRegistry()
register_therapy_type = registry.register
