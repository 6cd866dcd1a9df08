import gzip
import json
import os

from gossipcrawl.feeds.storages import AtomicFileFeedStorage
from gossipcrawl.feeds.uris import feed_settings
from gossipcrawl.utils.fs import remove_stale_temporaries


def test_nothing_visible_until_stored(tmp_path):
    target = tmp_path / "out.jsonl"
    storage = AtomicFileFeedStorage(target.as_uri())
    handle = storage.open(spider=None)
    handle.write(b'{"a": 1}\n')
    assert not target.exists(), "a reader must never see a half-written feed"
    storage.store(handle)
    assert target.read_bytes() == b'{"a": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"], "no stray temporary files"


def test_replaces_previous_file_atomically(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    storage = AtomicFileFeedStorage(str(target))
    handle = storage.open(spider=None)
    handle.write(b"new\n")
    assert target.read_text() == "old\n"
    storage.store(handle)
    assert target.read_text() == "new\n"


def test_stale_temporary_of_a_dead_process_is_removed(tmp_path):
    target = tmp_path / "out.jsonl"
    stale = tmp_path / ".out.jsonl.999999999.abc.tmp"
    stale.write_text("half")
    mine = tmp_path / f".out.jsonl.{os.getpid()}.abc.tmp"
    mine.write_text("in progress")
    remove_stale_temporaries(target)
    assert not stale.exists()
    assert mine.exists()


def test_feed_settings_for_gzip_and_plain(tmp_path):
    plain = feed_settings(str(tmp_path / "a.jsonl"))
    (uri, options), = plain.items()
    assert uri.startswith("file://") and options["format"] == "jsonlines"
    assert "postprocessing" not in options
    (_, gz_options), = feed_settings(str(tmp_path / "a.jsonl.gz")).items()
    assert gz_options["postprocessing"] == ["scrapy.extensions.postprocessing.GzipPlugin"]
    assert json.loads(json.dumps(gz_options))  # plain data, usable in scrapy settings
    assert gzip.decompress(gzip.compress(b"x")) == b"x"
