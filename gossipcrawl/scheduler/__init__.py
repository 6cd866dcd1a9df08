"""`gossipcrawl schedule FILE`: dispatch due crawls to Scrapyd nodes.

The schedule file (TOML) names the Scrapyd nodes and the sites:

    [scheduler]
    interval = "1m"                  # the loop looks for due sites this often
    state_file = "/var/lib/gossipcrawl/schedule-state.json"
    project = "gossipcrawl"          # the Scrapyd project (scrapy.cfg [deploy] project)

    [defaults]                       # for every site, unless the site says otherwise
    every = "1h"
    state = "redis://redis.internal:6379/0"
    output = "/srv/gossipcrawl/feeds/{site}/{time}.jsonl.gz"
    job_dir = "/srv/gossipcrawl/jobs/{site}"
    settings = { LOG_LEVEL = "INFO" }

    [[nodes]]
    name = "crawl-1"
    url = "http://crawl-1.internal:6800"
    username = "gossipcrawl"
    password_env = "SCRAPYD_PASSWORD"    # or password = "...", or no authentication
    max_jobs = 8                     # optional: never more running + pending jobs here

    [[sites]]
    target = "soapdirt"              # a profile name or a start URL, as for `crawl`
    every = "30m"

A round asks every node for its jobs (`listjobs.json`) and its load (`daemonstatus.json`).
A site is *due* when its last dispatch is older than its `every`; a due site is skipped
while a job of it is pending or running on any node, or when the node that ran its last job
does not answer (it may still be running there). Each due site goes to the least busy node
(fewest running + pending jobs, under its `max_jobs`) with `schedule.json`: spider `news`,
spider argument `target`, the job id `<site>.<UTC time>.<random>` (which is how later rounds
recognise the site's jobs) and settings for the feed (`FEEDS`), the state
(`GOSSIPCRAWL_STATE`) and the job directory (`GOSSIPCRAWL_JOB_DIR`). Paths are those of
the nodes; `{site}`, `{jobid}`, `{time}` (`20240710T183211Z`) and `{date}` are filled in.

The schedule is checked when it loads, as `gossipcrawl crawl` checks its command line: every
key of every table (a misspelt one is named, with the closest known key), each target (a
profile that exists and loads, or an http(s) URL), each site's settings and state URL,
durations and `max_jobs`. A bad schedule is one line and exit status 2; nothing is
dispatched.

How each job ended is read back once it is no longer pending or running: from the node's
`listjobs.json` (its `log_url`) and the end of the job's log, where the crawl logs its
outcome (`gossipcrawl.extensions.outcome`): `finished` (ok), `paused`, or `crawl-failed`
with the reason (unreachable, monitors failed, ended early; `died` when the job never
reached the end of a crawl, with its log's last error; `lost` when the node no longer
lists the job). The round prints it, `state_file` keeps it (`outcome`), and `--once`
exits 7 when a site's crawl failed or a due site could not be dispatched.

What was dispatched when is kept in `state_file` (JSON, replaced atomically). The sites
share their dedupe state through Redis, so an article is emitted once whichever node
crawled it. `--once` runs one round (for cron); without it the command loops until
Ctrl-C or SIGTERM, finishing the round in progress.
"""

class ScheduleError(RuntimeError):
    """A schedule file that cannot be used: reported as one line."""
