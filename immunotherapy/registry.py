"""The one registry of therapy types. Core code lists therapy types only through `registry`."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.db.models import Model

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from immunotherapy import __version__ as CORE_VERSION
from immunotherapy.plugins import PluginError

if TYPE_CHECKING:
    from wagtail.models import Page, PageQuerySet


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
    demo_content: Path | None = None

    @property
    def name(self) -> str:
        return self.plugin or self.slug


class TherapyTypeRegistry:
    """Therapy types by slug; registering checks the plugin and fails with one readable message."""

    def __init__(self, core_version: str = CORE_VERSION) -> None:
        self._by_slug: dict[str, TherapyType] = {}
        self._fingerprint: str | None = None
        self.core_version = core_version

    def register(self, therapy_type: TherapyType) -> TherapyType:
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
        # The models use the registry (the index's allowed children), and plugins' apps.py
        # import it before any model can load: TherapyPage is known by its marker attribute.
        if not (isinstance(model, type) and getattr(model, "is_therapy_page", False)):
            raise PluginError(
                f"therapy plugin {name!r}: page model {model!r} is not a TherapyPage subclass"
            )
        therapy_type = replace(therapy_type, page_model=model)
        self._by_slug[therapy_type.slug] = therapy_type
        self._fingerprint = None
        return therapy_type

    def get(self, slug: str) -> TherapyType | None:
        return self._by_slug.get(slug)

    def __iter__(self) -> Iterator[TherapyType]:
        return iter(self._by_slug.values())

    def __len__(self) -> int:
        return len(self._by_slug)

    def fingerprint(self) -> str:
        """A short digest of the registered types and their plugins' versions. Caches that
        outlive a restart (the HTML page cache, the sitemap) fold it into their keys: after a
        restart with a plugin enabled, disabled, removed or upgraded, none of their answers
        made before is served."""
        if self._fingerprint is None:  # read on every page served: worked out once per set
            names = sorted(f"{t.slug}={t.name}@{t.version}" for t in self._by_slug.values())
            self._fingerprint = hashlib.blake2b(
                "\n".join(names).encode(), digest_size=8
            ).hexdigest()
        return self._fingerprint

    def page_models(self) -> "list[type[Page]]":
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
        # Imported here, not at the top: plugins' apps.py import this module while Django is
        # still loading apps, before wagtail.models may be imported.
        from wagtail.models import Page

        models = self.page_models()
        if not models:
            return Page.objects.none()
        return Page.objects.live().public().type(*models).specific().order_by("path")


registry = TherapyTypeRegistry()
register_therapy_type = registry.register


class TherapyPluginConfig(AppConfig):
    """A therapy plugin's app config: the one place its therapy type is declared.

    The core registers the type of every installed `TherapyPluginConfig` at start-up and loads
    its `demo_content` file (if the package ships one) with `manage.py load_demo_content`.
    """

    default_auto_field = "django.db.models.BigAutoField"
    therapy_slug: str = ""
    therapy_label: str = ""  # defaults to verbose_name
    therapy_description: str = ""
    page_model: str = ""  # a model of this app ("OncolyticVirusPage") or "app_label.Model"
    plugin_version: str = "0.1.0"
    supported_core: str = ">=0.1,<1.0"
    demo_content: str = "demo/demo_content.json"  # relative to the package, optional

    # Django picks a package's default AppConfig only when its apps.py holds exactly one
    # candidate class, and this base class imported there would be a second one: the base says
    # it is not a default, its subclasses say they are (django.apps.config.AppConfig.create).
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def therapy_type(self) -> TherapyType:
        model = self.page_model if "." in self.page_model else f"{self.label}.{self.page_model}"
        demo = Path(self.path) / self.demo_content if self.demo_content else None
        return TherapyType(
            slug=self.therapy_slug,
            label=self.therapy_label or str(self.verbose_name),
            page_model=model if self.page_model else None,
            version=self.plugin_version,
            supported_core=self.supported_core,
            description=self.therapy_description,
            plugin=self.name,
            demo_content=demo if demo and demo.is_file() else None,
        )
