"""What a job writes as it goes, in files a kill may cut at any byte: the request journal
(one JSON request per line) and the lines appended to the job's feed and done list."""

from __future__ import annotations

import base64
import json
import os
import pickle
from pathlib import Path

from scrapy import Request
from scrapy.utils.request import request_from_dict


def truncate_torn_tail(path: Path) -> int:
    """Cut a file back to its last newline (a killed writer leaves half a line); returns the
    number of bytes removed."""
    try:
        handle = open(path, "r+b")
    except FileNotFoundError:
        return 0
    with handle:
        size = handle.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            chunk = handle.read(end - start)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        else:
            keep = 0
        if keep != size:
            handle.truncate(keep)
        return size - keep


def sync_file(handle) -> None:
    handle.flush()
    os.fsync(handle.fileno())


# --- request journal encoding: JSON, with bytes and odd meta values wrapped -----------------

def _encode(value):
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    return {"$pickle": base64.b64encode(pickle.dumps(value)).decode("ascii")}


def _decode(obj: dict):
    if len(obj) == 1:
        if "$b64" in obj:
            return base64.b64decode(obj["$b64"])
        if "$pickle" in obj:
            return pickle.loads(base64.b64decode(obj["$pickle"]))
    return obj


def encode_request(request: Request, spider) -> str:
    data = request.to_dict(spider=spider)
    data["headers"] = {name.decode("latin-1"): [value.decode("latin-1") for value in values]
                       for name, values in data.get("headers", {}).items()}
    return json.dumps(data, default=_encode, ensure_ascii=False, separators=(",", ":"))


def decode_request(line: str, spider) -> Request:
    return request_from_dict(json.loads(line, object_hook=_decode), spider=spider)

