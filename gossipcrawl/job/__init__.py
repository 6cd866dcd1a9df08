"""Pause and resume: a crawl stopped with Ctrl-C or killed (even `kill -9`) and started again
with the same job directory and the same state loses no article and emits none twice.

`gossipcrawl crawl TARGET --job-dir DIR` (or the setting `GOSSIPCRAWL_JOB_DIR`) makes the crawl
a *job* that may span several processes. The job directory holds:

    job.json         site, crawl id, status (running, paused, finished), number of runs
    job.lock         held (flock) by the process running the job: one process per job
    requests.jsonl   journal: every request the crawl decided to make, one JSON per line
    done.txt         fingerprints of the requests whose page was fully processed: its
                     items written to the feed (or dropped), its links journaled
    feeds/           the job's feed, in progress (plain JSON lines, appended to)

Why not Scrapy's own `JOBDIR`: it keeps the scheduler queue only when the crawl closes
cleanly, while its dupefilter file grows as requests are made, so after `kill -9` every
request that was queued or in flight is remembered as seen and never made again. Here the
journal is the source of truth instead. A request is *done* only once its consequences are
on disk, in this order, every `GOSSIPCRAWL_JOB_SYNC_INTERVAL` seconds and at close:

1. the feed file is flushed (and fsynced): the page's items are in it;
2. the request journal is flushed: the page's links are in it;
3. the page's fingerprint is appended to `done.txt`.

A kill at any instant leaves a done list that is a subset of what really happened. A resumed
run makes every journaled request that is not done (again), makes none that is, and drops a
torn last line of each file. The feed itself says which articles the job already emitted:
an item whose `id` is in it is not written again, and the state rows of those articles are
staged again under the job's crawl id (the id is kept in `job.json`, so what the first run
staged belongs to the resumed run and is committed with its feed). The feed is published to
OUT, atomically, only when the job finishes; a paused job keeps it in the job directory.
`job.json` records the temporary file being renamed to OUT (`publishing`), then the feed as
published (`publishedFeeds`): a run killed after the rename and before the job is recorded
finished (report, monitors and the state commit come in between) is followed by a run that
fetches nothing, publishes only what was not yet, commits the job's state and finishes it.

Modules (all components are inactive without a job directory):

- `directory`: the `Job` (its files, lock, journal, done list, feeds) and the checks the
  command line makes before a crawl;
- `journal`: request encoding and torn-line repair for files a kill may cut;
- `extension`: `JobExtension` (ordered before the feed exporter) opens the job, syncs it
  every interval, and finishes or pauses it; the spider's `crawl_id` is the job's;
- `middleware`: `JobSpiderMiddleware` replays pending requests, journals new ones, skips
  known ones, drops items already in the feed, and marks pages done;
- `feedstorage`: `JobFeedStorage`, which `gossipcrawl.feeds.storages.AtomicFileFeedStorage` hands
  over to while a job runs: it appends to `feeds/` and publishes at the end.

The dedupe pipeline restages, under the job's crawl id, every article the job's feed holds
when a job resumes (a killed run may have written an item before its staged row reached
the store).
"""
