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

`-a targets="A B C"` (what the scheduler dispatches for a `[[groups]]` entry) crawls several
sites in this one process (`gossipcrawl.sitecrawls`), each with its own job directory under
`GOSSIPCRAWL_JOB_DIR`; the job's last log line is the group's outcome (`ok`, or
`sites_failed: SITE: outcome; ...`), after each site's own.
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
        if args == ["news"] and opts.spargs.get("targets"):
            self.exitcode = self._crawl_sites(opts.spargs)
            return
        super().run(args, opts)

    def _crawl_sites(self, spider_arguments: dict) -> int:
        from gossipcrawl.extensions.outcome import Outcome
        from gossipcrawl.sitecrawls import SiteRun, run_sites
        from gossipcrawl.sites import resolve_target

        assert self.crawler_process is not None
        runs = [SiteRun(target, resolve_target(target))
                for target in dict.fromkeys(spider_arguments["targets"].split())]
        job_dir = self.crawler_process.settings.get("GOSSIPCRAWL_JOB_DIR")
        run_sites(self.crawler_process, runs, job_dir=job_dir)
        failed = [f"{run.name}: {outcome.kind}" for run in runs
                  if not (outcome := run.outcome()).ok]
        group = Outcome("sites_failed", "; ".join(failed)) if failed else Outcome("ok")
        logging.getLogger("gossipcrawl.outcome").log(
            logging.WARNING if failed else logging.INFO, "%s", group.line())
        return 1 if failed else 0


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

    targets = (spider_arguments.get("targets") or "").split() or \
        [spider_arguments.get("target")]
    if not targets[0]:
        return "the news spider needs a target: -a target=PROFILE_OR_URL (or -a targets=...)"
    for target in targets:
        try:
            resolve_target(target)
        except UnknownTarget as exc:
            return str(exc)
    return None
