"""The crawl report: what a crawl saw, emitted and dropped, as JSON and as an HTML page.

Written at spider close by the monitor suite (`gossipcrawl.monitors.suite`). Where:
`GOSSIPCRAWL_REPORT` when set (a path; `.json` / `.html` are put on the end, or replace a
`.json`/`.html` ending; `%(crawl_id)s` is filled in), else beside the file feed
(`out/soaps.jsonl.gz` -> `out/soaps.report.json` and `out/soaps.report.html`; a feed URI
with placeholders such as `%(site)s` puts `<crawl_id>.report.*` in the directory before the
first placeholder), else `.gossipcrawl/reports/<crawl_id>.report.*`. Both files are written
to a temporary file and renamed, like the feeds.

The HTML page is self-contained: inline CSS and SVG bar charts, no script. Its title names
the site; times are UTC in the items' `…Z` form; requests refused on purpose (robots.txt,
the GET-only guard, offsite) are policy, listed apart from the errors, not charted with them.
"""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from gossipcrawl.extensions.outcome import OK, PAUSED, UNREACHABLE, crawl_outcome
from gossipcrawl.pipelines.coverage import COVERAGE_FIELDS
from gossipcrawl.stats import (ARTICLES_EXTRACTED, COVERAGE_ARTICLES, ITEMS_CHANGED, ITEMS_DROPPED,
                               ITEMS_DROPPED_INVALID_FIELD, ITEMS_EMITTED, ITEMS_NEW,
                               ITEMS_UNCHANGED, PAGES_ERROR, PAGES_FETCH_ERROR, PAGES_NOT_ARTICLE,
                               PAGES_NOT_HTML, PAGES_SEEN, STORIES_JOINED, STORIES_NEW)
from gossipcrawl.stats import coverage as coverage_stat
from gossipcrawl.utils.fs import target_path, write_text_atomically

DEFAULT_REPORT_DIRECTORY = ".gossipcrawl/reports"
FILE_SCHEMES = ("", "file")
# Requests not made on purpose: policy, not errors (robots.txt, offsite, GET-only guard).
POLICY_EXCEPTIONS = ("scrapy.exceptions.IgnoreRequest",)


# --- where ------------------------------------------------------------------------------------

def report_base(settings, crawl_id: str) -> Path:
    """The report's path without its `.json` / `.html` ending."""
    configured = settings.get("GOSSIPCRAWL_REPORT")
    if configured:
        value = str(configured).replace("%(crawl_id)s", crawl_id)
        for ending in (".json", ".html"):
            if value.endswith(ending):
                value = value[: -len(ending)]
        return Path(value)
    for uri in (settings.getdict("FEEDS") or {}):
        uri = str(uri)
        if urlparse(uri).scheme not in FILE_SCHEMES and not (len(uri) > 1 and uri[1] == ":"):
            continue
        path = str(target_path(uri))
        if "%(" in path:
            before = path[: path.index("%(")]
            directory = Path(before) if before.endswith(os.sep) else Path(before).parent
            return directory / f"{crawl_id}.report"
        for ending in (".jsonl.gz", ".jsonl", ".json", ".gz"):
            if path.endswith(ending):
                path = path[: -len(ending)]
                break
        return Path(path + ".report")
    return Path(DEFAULT_REPORT_DIRECTORY) / f"{crawl_id}.report"


def report_paths(settings, crawl_id: str) -> tuple[Path, Path]:
    base = report_base(settings, crawl_id)
    return base.with_name(base.name + ".json"), base.with_name(base.name + ".html")


# --- what -------------------------------------------------------------------------------------

def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def page_counts(stats) -> tuple[int, int]:
    """(pages attempted, pages failed): article and listing pages, not robots/sitemaps."""
    errors = stats.get(PAGES_FETCH_ERROR, 0) + sum(
        value for key, value in stats.items() if key.startswith(PAGES_ERROR))
    attempted = (stats.get(PAGES_SEEN, 0) + stats.get(PAGES_NOT_HTML, 0)
                 + stats.get(PAGES_FETCH_ERROR, 0))
    return attempted, errors


def articles_extracted(stats) -> int:
    return stats.get(COVERAGE_ARTICLES, stats.get(ARTICLES_EXTRACTED, 0))


def _prefixed(stats: dict, prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items())
            if key.startswith(prefix)}


def utc(moment) -> str | None:
    """A stats time as the items write theirs: `2024-07-10T18:32:11Z`."""
    if not isinstance(moment, datetime):
        return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration_seconds(stats: dict) -> float | None:
    if stats.get("elapsed_time_seconds") is not None:
        return round(float(stats["elapsed_time_seconds"]), 1)
    start, finish = stats.get("start_time"), stats.get("finish_time")
    if isinstance(start, datetime) and isinstance(finish, datetime):
        return round((finish - start).total_seconds(), 1)
    return None


def build_report(stats: dict, *, crawl_id: str, spider: str, monitors: list[dict],
                 thresholds: dict, feeds: list[str], site: dict | None = None,
                 expected_reasons=None) -> dict:
    extracted = articles_extracted(stats)
    dropped_all = _prefixed(stats, ITEMS_DROPPED)
    dropped = {reason: count for reason, count in dropped_all.items() if "/" not in reason}
    invalid_fields = _prefixed(stats, ITEMS_DROPPED_INVALID_FIELD)
    status_counts = {code: count for code, count in
                     _prefixed(stats, "downloader/response_status_count/").items()
                     if code.isdigit() and int(code) >= 400}
    attempted, failed = page_counts(stats)
    coverage = {}
    for field in COVERAGE_FIELDS:
        count = stats.get(coverage_stat(field), 0)
        coverage[field] = {"count": count,
                           "ratio": round(count / extracted, 4) if extracted else None}
    failed_monitors = [m for m in monitors if m["status"] not in ("OK", "SKIPPED")]
    outcome = crawl_outcome(stats, expected_reasons or [stats.get("finish_reason")])
    exceptions = _prefixed(stats, "downloader/exception_type_count/")
    return {
        "crawlId": crawl_id,
        "spider": spider,
        "site": site or {"name": spider, "title": spider},
        "startTime": utc(stats.get("start_time")),
        "finishTime": utc(stats.get("finish_time")),
        "durationSeconds": duration_seconds(stats),
        "finishReason": stats.get("finish_reason"),
        "outcome": {"kind": outcome.kind, "detail": outcome.detail},
        "healthy": not failed_monitors and outcome.kind in (OK, PAUSED),
        "articles": {
            "seen": extracted,
            "emitted": stats.get(ITEMS_EMITTED, 0),
            "new": stats.get(ITEMS_NEW, 0),
            "changed": stats.get(ITEMS_CHANGED, 0),
            "unchanged": stats.get(ITEMS_UNCHANGED, 0),
            "dropped": sum(dropped.values()),
        },
        "dropped": dropped,
        "invalidFields": invalid_fields,
        "pages": {"seen": stats.get(PAGES_SEEN, 0),
                  "notArticle": stats.get(PAGES_NOT_ARTICLE, 0),
                  "attempted": attempted, "failed": failed,
                  "errorRate": round(failed / attempted, 4) if attempted else None},
        "httpErrors": {
            "byStatus": status_counts,
            "fetchErrors": stats.get(PAGES_FETCH_ERROR, 0),
            "exceptions": {name: count for name, count in exceptions.items()
                           if name not in POLICY_EXCEPTIONS},
            "extractionErrors": _prefixed(stats, PAGES_ERROR),
        },
        "notFetchedByPolicy": {
            "robotsTxt": stats.get("robotstxt/forbidden", 0),
            "ignored": sum(count for name, count in exceptions.items()
                           if name in POLICY_EXCEPTIONS),
        },
        "coverage": coverage,
        "stories": {"new": stats.get(STORIES_NEW, 0),
                    "joined": stats.get(STORIES_JOINED, 0)},
        "monitors": {"failed": len(failed_monitors), "results": monitors},
        "thresholds": thresholds,
        "feeds": feeds,
        "stats": stats,
    }


def monitor_outcomes(result) -> list[dict]:
    """What each monitor said: its name, status, and for a failure its message (the last
    line of the assertion, without the traceback)."""
    return [{"name": item.item.monitor_name, "status": item.status,
             "message": failure_message(item.error)}
            for item in result.monitor_results]


def failure_message(error) -> str | None:
    """The assertion message of a failed monitor (the last line of its traceback)."""
    if not error:
        return None
    last = str(error).strip().splitlines()[-1]
    last = last.removeprefix("AssertionError: ")
    # unittest puts "first != second : msg" when the message is long; keep the message.
    return last.rsplit(" : ", 1)[-1]


def thresholds_from(settings) -> dict:
    """The monitors' thresholds as the crawl's settings give them (their defaults are in
    gossipcrawl.settings)."""
    return {"minHeadlineCoverage": settings.getfloat("GOSSIPCRAWL_MIN_HEADLINE_COVERAGE"),
            "minBodyCoverage": settings.getfloat("GOSSIPCRAWL_MIN_BODY_COVERAGE"),
            "maxPageErrorRate": settings.getfloat("GOSSIPCRAWL_MAX_PAGE_ERROR_RATE"),
            "maxInvalidRate": settings.getfloat("GOSSIPCRAWL_MAX_INVALID_RATE")}


def write_crawl_report(crawler, monitors: list[dict]) -> tuple[Path, Path]:
    spider = crawler.spider
    crawl_id = str(getattr(spider, "crawl_id", None) or spider.name)
    stats = dict(crawler.stats.get_stats())
    profile = getattr(spider, "profile", None)
    site = ({"name": profile.name, "title": profile.title or profile.name}
            if profile is not None else None)
    data = build_report(stats, crawl_id=crawl_id, spider=spider.name, monitors=monitors,
                        thresholds=thresholds_from(crawler.settings),
                        feeds=[str(uri) for uri in (crawler.settings.getdict("FEEDS") or {})],
                        site=site, expected_reasons=crawler.settings.getlist(
                            "SPIDERMON_EXPECTED_FINISH_REASONS"))
    json_path, html_path = report_paths(crawler.settings, crawl_id)
    write_report(data, json_path, html_path)
    return json_path, html_path


def write_report(data: dict, json_path: Path, html_path: Path) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=_json_default, sort_keys=False)
    write_text_atomically(json_path, text + "\n")
    write_text_atomically(html_path, render_html(json.loads(text)))


def _json_default(value):
    if isinstance(value, datetime):
        return utc(value)
    return str(value)


# --- how it looks -----------------------------------------------------------------------------

def bar_chart(title: str, rows: list[tuple[str, float, str]], *, maximum: float,
              marker: float | None = None) -> str:
    """A horizontal SVG bar chart: rows of (label, value, value as text)."""
    label_width, bar_width, row_height = 150, 360, 24
    height = row_height * max(len(rows), 1) + 34
    width = label_width + bar_width + 80
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">',
             f"<title>{html.escape(title)}</title>",
             f'<text x="0" y="16" class="chart-title">{html.escape(title)}</text>']
    if not rows:
        parts.append('<text x="0" y="44" class="muted">nothing to show</text>')
    for index, (label, value, text) in enumerate(rows):
        y = 28 + index * row_height
        length = 0 if not maximum else max(0.0, min(1.0, value / maximum)) * bar_width
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
                     f"{html.escape(label)}</text>")
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="16" '
                     'class="track"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16" '
                     'class="bar"/>')
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 15}">'
                     f"{html.escape(text)}</text>")
    if marker is not None and maximum:
        x = label_width + marker / maximum * bar_width
        parts.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 4}" '
                     'class="marker"/>')
    parts.append("</svg>")
    return "".join(parts)


def _table(rows: list[tuple[str, object]]) -> str:
    cells = "".join(f"<tr><th>{html.escape(str(name))}</th><td>{html.escape(str(value))}</td></tr>"
                    for name, value in rows)
    return f"<table>{cells}</table>"


CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:60rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse}th,td{padding:.25rem .75rem;border-bottom:1px solid #ddd;
text-align:left}th{font-weight:600}
.ok{color:#176f2c}.fail{color:#b3261e;font-weight:600}.muted{fill:#777;color:#777}
svg text{font-size:12px;fill:#222}svg .chart-title{font-weight:600;font-size:13px}
svg .track{fill:#eee}svg .bar{fill:#3867d6}svg .marker{stroke:#b3261e;stroke-width:2;
stroke-dasharray:4 3}
"""


def _duration(seconds) -> str:
    if seconds is None:
        return "unknown"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (f"{hours} h {minutes:02d} min" if hours else
            f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s")


def _verdict(data: dict) -> str:
    outcome = data.get("outcome") or {"kind": OK, "detail": ""}
    if outcome["kind"] == UNREACHABLE:
        return f'<p class="fail">Site unreachable: {html.escape(outcome["detail"])}.</p>'
    if data["monitors"]["failed"]:
        return f'<p class="fail">{data["monitors"]["failed"]} monitor(s) failed.</p>'
    if outcome["kind"] == PAUSED:
        return ('<p class="muted">Paused: this run stopped before the end of its job; the '
                'same command resumes it. Every monitor that ran passed.</p>')
    if not data["healthy"]:
        return f'<p class="fail">{html.escape(outcome["detail"] or "Not healthy")}.</p>'
    return '<p class="ok">Healthy: every monitor passed.</p>'


def render_html(data: dict) -> str:
    articles = data["articles"]
    verdict = _verdict(data)
    site = data.get("site") or {"name": data.get("spider", ""), "title": data.get("spider", "")}
    policy = data.get("notFetchedByPolicy") or {"robotsTxt": 0, "ignored": 0}
    coverage_rows = [(field, (value["ratio"] or 0) * 100,
                      "n/a" if value["ratio"] is None else f'{value["ratio"]:.0%} ({value["count"]})')
                     for field, value in data["coverage"].items()]
    drop_rows = [(reason, count, str(count)) for reason, count in
                 sorted(data["dropped"].items(), key=lambda pair: -pair[1])]
    drop_rows.append(("unchanged", articles["unchanged"], str(articles["unchanged"])))
    http_rows = [(f"HTTP {code}", count, str(count))
                 for code, count in sorted(data["httpErrors"]["byStatus"].items())]
    http_rows += [(name.rsplit(".", 1)[-1], count, str(count))
                  for name, count in data["httpErrors"]["exceptions"].items()]
    monitor_rows = "".join(
        f'<tr><td>{html.escape(m["name"])}</td><td class="{"ok" if m["status"] == "OK" else "fail"}">'
        f'{html.escape(m["status"])}</td><td>{html.escape(m["message"] or "")}</td></tr>'
        for m in data["monitors"]["results"])
    thresholds = data["thresholds"]
    summary = _table([
        ("site", f'{site["title"]} ({site["name"]})' if site["title"] != site["name"]
         else site["name"]),
        ("crawl", data["crawlId"]), ("finish reason", data["finishReason"]),
        ("started (UTC)", data["startTime"]), ("finished (UTC)", data["finishTime"]),
        ("duration", _duration(data.get("durationSeconds"))),
        ("articles seen", articles["seen"]), ("emitted", articles["emitted"]),
        ("new", articles["new"]), ("changed (new revision)", articles["changed"]),
        ("unchanged", articles["unchanged"]), ("dropped", articles["dropped"]),
        ("pages failed / attempted", f'{data["pages"]["failed"]} / {data["pages"]["attempted"]}'),
        ("stories started / joined", f'{data["stories"]["new"]} / {data["stories"]["joined"]}'),
        ("not fetched on purpose (robots.txt, policy)",
         f'{policy["robotsTxt"]} refused by robots.txt, {policy["ignored"]} in all'),
        ("feeds", ", ".join(data["feeds"]) or "none"),
    ])
    charts = [
        bar_chart("Field coverage (% of articles seen; line: headline/body minimum)",
                  coverage_rows, maximum=100, marker=thresholds["minHeadlineCoverage"] * 100),
        bar_chart("Articles not emitted, by reason", drop_rows,
                  maximum=max([row[1] for row in drop_rows] + [1])),
        bar_chart("HTTP errors and download exceptions", http_rows,
                  maximum=max([row[1] for row in http_rows] + [1])),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(site['title'])}: gossipcrawl report "
            f"{html.escape(data['startTime'] or '')}</title>"
            f"<style>{CSS}</style></head><body>"
            f"<h1>Crawl report: {html.escape(site['title'])}</h1>"
            f'<p class="muted">{html.escape(data["crawlId"])}, '
            f'{html.escape(data["startTime"] or "")}, {_duration(data.get("durationSeconds"))}'
            f"</p>{verdict}"
            f"<h2>Summary</h2>{summary}"
            "<h2>Monitors</h2><table><tr><th>monitor</th><th>status</th><th>detail</th></tr>"
            f"{monitor_rows}</table>"
            "<h2>Charts</h2>" + "".join(f"<figure>{chart}</figure>" for chart in charts)
            + "<p class=\"muted\">The full numbers are in the JSON report beside this page.</p>"
            "</body></html>\n")


# --- several sites in one crawl -----------------------------------------------------------------

def write_sites_report(runs, outcomes) -> Path | None:
    """The report of a crawl of several sites (gossipcrawl.sitecrawls): one section per site
    (its outcome, its numbers and its own report) and the totals, as JSON and HTML, where
    the sites' reports are (`sites-<time>.report.*`); returns the HTML path."""
    crawlers = [run.crawler for run in runs if run.crawler is not None]
    if not crawlers:
        return None
    sites = []
    for run, outcome in zip(runs, outcomes):
        stats = dict(run.crawler.stats.get_stats()) if run.crawler is not None else {}
        crawl_id = str(getattr(run.crawler.spider, "crawl_id", "") if run.crawler is not None
                       and run.crawler.spider is not None else "")
        own = report_paths(run.crawler.settings, crawl_id)[1] if crawl_id else None
        sites.append({
            "site": run.name, "target": run.target, "outcome": outcome.kind,
            "detail": outcome.detail, "crawlId": crawl_id or None,
            "pages": stats.get(PAGES_SEEN, 0),
            "emitted": stats.get(ITEMS_EMITTED, 0),
            "new": stats.get(ITEMS_NEW, 0),
            "changed": stats.get(ITEMS_CHANGED, 0),
            "requests": stats.get("downloader/request_count", 0),
            "durationSeconds": duration_seconds(stats),
            "report": str(own) if own is not None and own.exists() else None})
    totals = {key: sum(site[key] for site in sites)
              for key in ("pages", "emitted", "new", "changed", "requests")}
    totals["sites"] = len(sites)
    totals["succeeded"] = sum(site["outcome"] == OK for site in sites)
    data = {"startTime": utc(datetime.now(UTC)), "sites": sites, "totals": totals}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    json_path, html_path = report_paths(crawlers[0].settings, f"sites-{stamp}")
    text = json.dumps(data, indent=2, ensure_ascii=False)
    write_text_atomically(json_path, text + "\n")
    write_text_atomically(html_path, render_sites_html(data))
    return html_path


def render_sites_html(data: dict) -> str:
    head = ("<tr><th>site</th><th>outcome</th><th>articles emitted</th><th>new</th>"
            "<th>changed</th><th>pages</th><th>requests</th><th>duration</th><th>report</th></tr>")
    rows = []
    for site in data["sites"]:
        mark = "ok" if site["outcome"] == OK else "fail"
        report = (f'<a href="{html.escape(Path(site["report"]).name)}">report</a>'
                  if site["report"] else "")
        detail = f" ({html.escape(site['detail'])})" if site["detail"] else ""
        rows.append(f"<tr><td>{html.escape(site['site'])}</td>"
                    f'<td class="{mark}">{html.escape(site["outcome"])}{detail}</td>'
                    f"<td>{site['emitted']}</td><td>{site['new']}</td><td>{site['changed']}</td>"
                    f"<td>{site['pages']}</td><td>{site['requests']}</td>"
                    f"<td>{_duration(site['durationSeconds'])}</td><td>{report}</td></tr>")
    totals = data["totals"]
    chart = bar_chart("Articles emitted, by site",
                      [(site["site"], site["emitted"], str(site["emitted"]))
                       for site in data["sites"]],
                      maximum=max([site["emitted"] for site in data["sites"]] + [1]))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>gossipcrawl report: {totals['sites']} sites, "
            f"{html.escape(data['startTime'])}</title><style>{CSS}</style></head><body>"
            f"<h1>Crawl report: {totals['succeeded']} of {totals['sites']} sites</h1>"
            f'<p class="muted">{html.escape(data["startTime"])}</p>'
            "<h2>Totals</h2>" + _table([("sites crawled to their end",
                                          f"{totals['succeeded']} of {totals['sites']}"),
                                         ("articles emitted", totals["emitted"]),
                                         ("new", totals["new"]), ("changed", totals["changed"]),
                                         ("pages read", totals["pages"]),
                                         ("requests", totals["requests"])])
            + f"<h2>Sites</h2><table>{head}{''.join(rows)}</table>"
            f"<figure>{chart}</figure></body></html>\n")
