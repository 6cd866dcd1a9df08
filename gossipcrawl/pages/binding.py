"""Per-site page objects: a site is one unit, `gossipcrawl/sites/<name>.toml` (its profile)
and, only when the generic page object cannot be made right for it by a rule that holds in
general, `gossipcrawl/sites/<name>.py` with a small subclass of `GenericArticlePage` that
overrides just the field that differs:

    from web_poet import field

    from gossipcrawl.pages.binding import site_page
    from gossipcrawl.pages.generic import GenericArticlePage

    @site_page("soapdirt")
    class SoapDirtPage(GenericArticlePage):
        extractor_name = "gossipcrawl.soapdirt/1"

        @field
        def description(self) -> str | None:
            deck = self.root.xpath("string(//p[@class='sd-deck'])").strip()
            return deck or super().description

`site_page(name)` binds the class to the domains of profile `name` (web-poet's
`handle_urls`, in place of the generic page object), so the profile's domains are written
once. `gossipcrawl.pages.registry` and scrapy-poet load every module of `gossipcrawl.sites`,
so crawls, `gossipcrawl extract` and the fixture tests use the same class;
`gossipcrawl sites --check` checks each module binds a profile of the same name.

None is needed today: every saved page in `fixtures/articles/` comes out right from the
generic signals.
"""

from __future__ import annotations

from web_poet import default_registry

from gossipcrawl.pages.generic import GenericArticlePage
from gossipcrawl.sites import ProfileError, load_profiles


def site_page(name: str, *, registry=default_registry):
    """Class decorator: use this page object, instead of the generic one, for the pages of
    the domains of site profile `name`."""
    def bind(cls: type[GenericArticlePage]) -> type[GenericArticlePage]:
        profile = load_profiles().get(name)
        if profile is None:
            raise ProfileError(f"{cls.__module__}.{cls.__name__}: no valid site profile "
                               f"{name!r} to take its domains from")
        cls.site_profile = name
        return registry.handle_urls(list(profile.domains), instead_of=GenericArticlePage)(cls)
    return bind
