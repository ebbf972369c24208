"""The site's full-text search index (Pagefind), built while the site is being built.

Pagefind's command line indexes a finished site, which at thousands of pages adds seconds after
the build. Its service mode (``pagefind --service``: the protocol of Pagefind's own Node and
Python wrappers, base64-encoded JSON messages each ended by a comma) takes the pages one at a
time. So each page goes to Pagefind as soon as it is rendered and is indexed in Pagefind's own
process, on another core, while the next pages render; only writing the index is left at the end.

Pagefind reads the language from ``<html lang>`` (Danish stemming for ``da``) and indexes only
what is inside ``data-pagefind-body``.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class SearchIndexError(Exception):
    """Pagefind could not be started or could not index the site (message in Danish)."""


def executable() -> Path:
    """Pagefind's binary, from the pagefind[bin] package."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = None
    else:
        found = get_executable()
    if found is None or not Path(found).is_file():
        raise SearchIndexError(
            "Pagefind, som laver sitets søgning, er ikke installeret. Installér afhængighederne igen: pip install -e ."
        )
    return Path(found)


class Indexer:
    """A running Pagefind service that is fed pages with ``add`` and writes its index at ``finish``."""

    def __init__(self, exclude_selectors: Sequence[str] = (), binary: Path | None = None) -> None:
        try:
            self._process = subprocess.Popen(
                [str(binary or executable()), "--service"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except OSError as e:
            raise SearchIndexError(f"Pagefind kunne ikke startes ({e.strerror})") from None
        self._lock = threading.Condition()
        self._answers: dict[int, dict[str, Any]] = {}
        self._last_id = 0
        self._adds: set[int] = set()
        self._errors: list[str] = []
        self._ended = False
        self._outbox: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self.pages = 0
        # Pagefind's own CPU time and peak memory, where the system tells them (Linux).
        self.cpu_seconds: float | None = None
        self.peak_mb: float | None = None
        threading.Thread(target=self._read, name="pagefind-read", daemon=True).start()
        threading.Thread(target=self._write, name="pagefind-write", daemon=True).start()
        answer = self._ask({"type": "NewIndex", "config": {"exclude_selectors": list(exclude_selectors)}})
        self._index = int(answer["index_id"])

    def add(self, url: str, html: str) -> None:
        """Queue one built page (its address on the site, e.g. '/a/b/'); returns at once."""
        self.pages += 1
        self._send({"type": "AddFile", "index_id": self._index, "file_path": None, "url": url,
                    "file_contents": html}, add=True)

    def finish(self, output_path: str | os.PathLike[str], timeout: float = 600) -> int:
        """Wait for every page to be indexed, write the index to the folder ``output_path`` (replacing
        it) and stop Pagefind. Returns the number of pages given to Pagefind."""
        try:
            with self._lock:
                if not self._lock.wait_for(lambda: not self._adds or self._ended, timeout):
                    raise SearchIndexError("Pagefind blev ikke færdig med at indeksere siderne i tide")
            if self._errors:
                raise SearchIndexError("Pagefind kunne ikke indeksere alle sider:\n" + "\n".join(self._errors[:10]))
            # GetFiles, not WriteFiles: Pagefind 1.5 answers WriteFiles before its writes reach the
            # disk, and stopping it then can leave files empty. So the files come back here.
            answer = self._ask({"type": "GetFiles", "index_id": self._index}, timeout)
            self.cpu_seconds, self.peak_mb = _cpu_seconds(self._process.pid), _peak_mb(self._process.pid)
            _write_files(Path(output_path), answer.get("files") or [])
            return self.pages
        finally:
            self.close()

    def close(self) -> None:
        """Stop the service (also after an error); safe to call more than once."""
        self._outbox.put(None)
        if self._process.returncode is not None:
            return
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _send(self, payload: dict[str, Any], add: bool = False) -> int:
        with self._lock:
            self._last_id += 1
            message_id = self._last_id
            if add:
                self._adds.add(message_id)
        self._outbox.put({"message_id": message_id, "payload": payload})
        return message_id

    def _ask(self, payload: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
        message_id = self._send(payload)
        with self._lock:
            if not self._lock.wait_for(lambda: message_id in self._answers or self._ended, timeout):
                raise SearchIndexError(f"Pagefind svarede ikke ({payload['type']})")
            answer = self._answers.pop(message_id, None)
        if answer is None:
            raise SearchIndexError("Pagefind stoppede uventet: " + "; ".join(self._errors[:3]))
        if answer.get("type") == "Error":
            raise SearchIndexError(f"Pagefind: {answer.get('message')}")
        return answer

    def _write(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            while (message := self._outbox.get()) is not None:
                stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
                if self._outbox.empty():
                    stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _read(self) -> None:
        stdout = self._process.stdout
        assert isinstance(stdout, io.BufferedReader)
        pending: list[bytes] = []  # the start of a message that has not ended yet (the files are megabytes)
        while chunk := stdout.read1(1 << 20):
            *ended, rest = chunk.split(b",")
            for part in ended:
                self._receive(b"".join([*pending, part]))
                pending = []
            pending.append(rest)
        with self._lock:
            self._ended = True
            self._lock.notify_all()

    def _receive(self, raw: bytes) -> None:
        try:
            message = json.loads(base64.b64decode(raw))
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        payload = message.get("payload") or {}
        message_id = message.get("message_id")
        if message_id is None and isinstance(payload.get("original_message"), str):
            # A message Pagefind could not read comes back without its id, but with itself.
            with contextlib.suppress(ValueError, AttributeError):
                message_id = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            if payload.get("type") == "Error":
                self._errors.append(str(payload.get("message")))
            if message_id in self._adds:
                self._adds.discard(message_id)
            else:
                self._answers[message_id or 0] = payload
            self._lock.notify_all()


def _write_files(folder: Path, files: list[dict[str, str]]) -> None:
    if not any(f.get("path") == "pagefind.js" for f in files):
        raise SearchIndexError("Pagefind returnerede ikke søgningens filer")
    if folder.exists():
        shutil.rmtree(folder)
    for file in files:
        target = (folder / file["path"]).resolve()
        if not target.is_relative_to(folder.resolve()):
            raise SearchIndexError(f"Pagefind ville skrive uden for {folder}: {file['path']}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
