"""The end of `gossipcrawl crawl`: what it prints last and its exit status, from the crawl's
outcome (`gossipcrawl.extensions.outcome`).

    ok               the summary line; exit 0
    busy             one line: another crawl holds the site on this state; exit 6
    not_delivered    the summary line, then what could not be written and that nothing was
                     committed; exit 3
    paused           one line: paused, resume with the same command, the job directory; exit 5
    unreachable      one line: cannot reach HOST: why; exit 4
    monitors_failed  the summary line, then which monitors failed and where the report is; exit 1
    ended_early      the summary line, then why; exit 1
"""

from __future__ import annotations

import sys

from gossipcrawl.commands.base import (EXIT_BUSY, EXIT_CRAWL_FAILED, EXIT_OK,
                                       EXIT_OUTPUT_FAILED, EXIT_PAUSED,
                                       EXIT_SOME_SITES_FAILED, EXIT_UNREACHABLE)
from gossipcrawl.stats import (ITEMS_CHANGED, ITEMS_EMITTED, ITEMS_NEW, ITEMS_UNCHANGED,
                               JOB_ARTICLES_IN_FEED, JOB_RESUMED, JOB_RUNS)
from gossipcrawl.extensions.outcome import (BUSY, ENDED_EARLY, MONITORS_FAILED, NOT_DELIVERED,
                                            OK, PAUSED, UNREACHABLE, crawl_outcome,
                                            delivery_problem, pages_read)

EXIT_STATUS = {OK: EXIT_OK, BUSY: EXIT_BUSY, NOT_DELIVERED: EXIT_OUTPUT_FAILED,
               PAUSED: EXIT_PAUSED, UNREACHABLE: EXIT_UNREACHABLE,
               MONITORS_FAILED: EXIT_CRAWL_FAILED, ENDED_EARLY: EXIT_CRAWL_FAILED}


def finish_crawl(crawler, *, out: str | None, job_dir: str | None,
                 announce: bool = True) -> int:
    """Print the crawl's last lines on stderr; returns the exit status."""
    outcome = crawl_outcome(crawler.stats.get_stats(),
                            crawler.settings.getlist("SPIDERMON_EXPECTED_FINISH_REASONS"))
    for line in crawl_lines(crawler, outcome, out=out, job_dir=job_dir, announce=announce):
        print(line, file=sys.stderr)
    return EXIT_STATUS[outcome.kind]


def finish_sites(runs, *, out: str | None, job_dir: str | None) -> int:
    """The last lines of a crawl of several sites: each site's, then the totals; the exit
    status is the sites' common one (0 when all succeeded), else 7 (some failed)."""
    from gossipcrawl.feeds.uris import site_param
    from gossipcrawl.monitors.report import write_sites_report

    outcomes = [run.outcome() for run in runs]
    for run, outcome in zip(runs, outcomes):
        if run.crawler is None or run.crawler.spider is None:
            print(f"gossipcrawl: [{run.name}] error: {outcome.detail}", file=sys.stderr)
            continue
        site_out = out.replace("%(site)s", site_param(run.crawler.spider)) if out else None
        site_job = run.crawler.settings.get("GOSSIPCRAWL_JOB_DIR") if job_dir else None
        for line in crawl_lines(run.crawler, outcome, out=site_out, job_dir=site_job):
            print(line.replace("gossipcrawl: ", f"gossipcrawl: [{run.name}] ", 1),
                  file=sys.stderr)
    ok = sum(outcome.ok for outcome in outcomes)
    failed = [f"{run.name}: {outcome.kind}" for run, outcome in zip(runs, outcomes)
              if not outcome.ok]
    emitted = sum(run.crawler.stats.get_value(ITEMS_EMITTED, 0)
                  for run in runs if run.crawler is not None)
    report = write_sites_report(runs, outcomes)
    print(f"gossipcrawl: {ok} of {len(runs)} sites crawled to their end, {emitted} articles "
          f"emitted" + (f"; not: {', '.join(failed)}" if failed else "")
          + (f" (report: {report})" if report else ""), file=sys.stderr)
    kinds = {outcome.kind for outcome in outcomes}
    return EXIT_STATUS[kinds.pop()] if len(kinds) == 1 else EXIT_SOME_SITES_FAILED


def crawl_lines(crawler, outcome, *, out: str | None, job_dir: str | None,
                announce: bool = True) -> list[str]:
    """What a crawl says last: its summary, or why it did not deliver, pause or run."""
    stats = crawler.stats.get_stats()
    lines = []
    if outcome.kind == BUSY:
        lines.append(f"gossipcrawl: busy: {outcome.detail} (--wait waits for it)")
    elif outcome.kind == PAUSED:
        lines.append(f"gossipcrawl: paused after {pages_read(stats)} pages "
                     f"({stats.get(ITEMS_EMITTED, 0)} articles so far); resume "
                     f"with the same command (job directory: {job_dir})")
    elif outcome.kind == UNREACHABLE:
        lines.append(f"gossipcrawl: error: {outcome.detail}")
    else:
        if announce:
            lines.append(summary_line(stats, out))
        if stats.get(JOB_RESUMED):
            lines.append(f"gossipcrawl: resumed job (run {stats.get(JOB_RUNS)}): "
                         f"{stats.get(JOB_ARTICLES_IN_FEED, 0)} articles came "
                         "from its earlier runs")
        if outcome.kind == NOT_DELIVERED:
            lines.append(f"gossipcrawl: error: {outcome.detail}; nothing was committed, the "
                         "next crawl delivers the same articles")
        elif outcome.kind == MONITORS_FAILED:
            lines.append(f"gossipcrawl: error: {outcome.detail} (see {report_of(crawler)})")
        elif outcome.kind == ENDED_EARLY:
            hint = ("; --job-dir makes a crawl resumable"
                    if stats.get("finish_reason") == "shutdown" and not job_dir else "")
            lines.append(f"gossipcrawl: error: {outcome.detail}{hint}")
    return lines


def summary_line(stats: dict, out: str | None) -> str:
    def count(key):
        return stats.get(key, 0)

    delivered = delivery_problem(stats) is None
    return (f"gossipcrawl: {count(ITEMS_EMITTED)} articles "
            + ("emitted" if delivered else "extracted, NOT delivered")
            + f" ({count(ITEMS_NEW)} new, {count(ITEMS_CHANGED)}"
            f" changed, {count(ITEMS_UNCHANGED)} unchanged) from"
            f" {pages_read(stats)} pages"
            + (f" -> {out or 'standard output'}" if delivered else "")
            + f"; finish reason: {stats.get('finish_reason', 'unknown')}")


def report_of(crawler) -> str:
    from gossipcrawl.monitors.report import report_paths

    spider = crawler.spider
    crawl_id = str(getattr(spider, "crawl_id", None) or spider.name)
    return str(report_paths(crawler.settings, crawl_id)[1])
