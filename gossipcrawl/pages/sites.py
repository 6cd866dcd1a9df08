"""Per-site page objects: small overrides of `GenericArticlePage`, one class per site.

None is needed today: every saved page in fixtures/articles/ (WordPress with Yoast, Rank
Math, Genesis, Kadence, Astra and 2009's default theme, WordPress VIP/PMC, the AMP plugin,
Blogger, Drupal 7, a Next.js front end, hand-written static pages) comes out right from the
generic signals. Add a class here only when a site cannot be fixed by a rule that holds in
general, and override only the field that differs:

    @handle_urls("soapdirt.com", instead_of=GenericArticlePage)
    class SoapDirtPage(GenericArticlePage):
        extractor_name = "gossipcrawl.soapdirt/1"

        @field
        def description(self) -> str | None:
            deck = self.root.xpath("string(//p[@class='sd-deck'])").strip()
            return deck or super().description

`gossipcrawl.pages.registry` imports this module (web-poet's `consume_modules`), so the
rule applies to crawls, `gossipcrawl extract` and the fixture tests alike. See
docs/extraction.md, "Adding a per-site page object".
"""
