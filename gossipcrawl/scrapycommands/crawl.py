"""`scrapy crawl` for this project: Scrapy's own command, which first checks what only
gossipcrawl knows, so that `scrapy crawl news` and every Scrapyd job (Scrapyd's runner is
`scrapy crawl`) refuse a bad invocation with one log line and exit status 2 instead of an
asyncio traceback from inside the crawler:

- the news spider's `-a target=`: given, and a profile that exists and loads, or an
  http(s) URL (`gossipcrawl.sites.resolve_target`);
- the values of the `-s` settings gossipcrawl knows the kind of
  (`gossipcrawl.setting_types`); names it does not know are passed on, as Scrapy does (a
  job may carry another add-on's settings; `gossipcrawl crawl` and the scheduler check
  names).

The line is logged (Scrapy has configured logging by then), so a Scrapyd job's log holds it.
"""

from __future__ import annotations

import logging

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

logger = logging.getLogger(__name__)

EXIT_USAGE = 2  # as gossipcrawl.commands.base.EXIT_USAGE


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        problem = invocation_problem(args, opts.spargs, opts.set)
        if problem:
            logger.error("%s", problem)
            self.exitcode = EXIT_USAGE
            return
        super().run(args, opts)


def invocation_problem(args: list[str], spider_arguments: dict, settings: list[str]) -> str | None:
    from gossipcrawl.setting_types import SettingError, check_setting

    for pair in settings or ():
        name, _, value = pair.partition("=")
        try:
            check_setting(name.strip(), value, allow_unknown=True)
        except SettingError as exc:
            return f"-s {pair}: {exc}"
    if args != ["news"]:
        return None
    from gossipcrawl.sites import UnknownTarget, resolve_target

    target = spider_arguments.get("target")
    if not target:
        return "the news spider needs a target: -a target=PROFILE_OR_URL"
    try:
        resolve_target(target)
    except UnknownTarget as exc:
        return str(exc)
    return None
