"""The durable inbox: no question is lost when the process is killed (kill -9, OOM, docker kill).

Telegram forgets an update once the next getUpdates call confirms it, which PTB makes long before
the update is answered. So every batch is written to SQLite (`<database>-inbox.sqlite3`, beside
the feedback database, 0600) inside the getUpdates request itself, before PTB can ask for the next
batch; an update is marked answered when its first reply has been sent (or, without a reply, when
its handling ends) and its text is then erased. At start the updates left unanswered are handled
first. Duplicates can only come from replies in flight at the moment of the crash.

The same place cleans what arrives: lone surrogates in any text are replaced (so a question can be
matched, stored and answered), and an update the library cannot parse is skipped with one line
naming only its id, instead of stalling polling for good.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.feedback.store import clean_text, private_files, private_folder

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # an update that was being handled at three crashes in a row is given up
KEEP_DONE_SECONDS = 2 * 86_400  # answered ids kept this long, to recognise a redelivered update

_current: contextvars.ContextVar[int | None] = contextvars.ContextVar("inbox_update", default=None)


def inbox_path(database_path: Path) -> Path:
    return database_path.with_name(f"{database_path.stem}-inbox.sqlite3")


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def clean(value: Any) -> Any:
    """Every string in a decoded JSON value with lone surrogates replaced."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value


class Inbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox")
        self._db: sqlite3.Connection | None = None
        self._failing = False
        self._pruned_at = 0.0
        self._answered: set[int] = set()  # marked at their first reply, not again when handled
        self.replayed = 0
        self.skipped = 0

    # ---- the database (inbox thread only) ------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            private_folder(self.path.parent)
            private_files(self.path)
            db = sqlite3.connect(self.path, timeout=1.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS inbox (update_id INTEGER PRIMARY KEY, digest TEXT NOT NULL, body TEXT NOT NULL,"
                " received_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, done_at REAL)"
            )
            private_files(self.path)
            self._db = db
        return self._db

    async def _call(self, function, *args: Any) -> Any:
        """Run `function` in the inbox thread; a database failure is logged once and gives None."""
        outcome = await asyncio.get_running_loop().run_in_executor(
            self._executor, self._guarded, function, args
        )
        if isinstance(outcome, Exception):
            if not self._failing:
                self._failing = True
                log.error("inbox %s unavailable (%s); answering without it", self.path, outcome)
            return None
        if self._failing:
            self._failing = False
            log.warning("inbox %s is writable again", self.path)
        return outcome

    def _guarded(self, function, args: tuple) -> Any:
        try:
            return function(*args)
        except (sqlite3.Error, OSError) as exc:
            if self._db is not None:
                self._db.close()
                self._db = None
            return exc

    def _admit(self, updates: list[tuple[int, str, bool]]) -> set[int]:
        """Store the new ones (id, body, well formed); returns the ids to handle now.

        An id already here with the same content is Telegram resending it (the crash came before
        it was confirmed): not handled again. The same id with other content is another update
        (another bot or server on this database): it replaces the old row.
        """
        db = self._connection()
        ids = [u[0] for u in updates]
        marks = ",".join("?" * len(ids))
        known = dict(db.execute(f"SELECT update_id, digest FROM inbox WHERE update_id IN ({marks})", ids))
        now = time.time()
        fresh = [
            (uid, _digest(body), body if ok else "", now, None if ok else now)
            for uid, body, ok in updates
            if known.get(uid) != _digest(body)
        ]
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT OR REPLACE INTO inbox VALUES (?, ?, ?, ?, 0, ?)", fresh)
        if now - self._pruned_at > 3600:  # answered ids are needed only while Telegram may resend them
            db.execute("DELETE FROM inbox WHERE done_at < ?", (now - KEEP_DONE_SECONDS,))
            self._pruned_at = now
        db.execute("COMMIT")
        return {u[0] for u in fresh}

    def _done(self, update_id: int) -> None:
        self._connection().execute(
            "UPDATE inbox SET done_at = ?, body = '' WHERE update_id = ? AND done_at IS NULL",
            (time.time(), update_id),
        )

    def _unanswered(self) -> list[str]:
        db = self._connection()
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        given_up = db.execute(
            "UPDATE inbox SET done_at = ?, body = '' WHERE done_at IS NULL AND attempts >= ?",
            (now, MAX_ATTEMPTS),
        ).rowcount
        rows = db.execute("SELECT body FROM inbox WHERE done_at IS NULL ORDER BY update_id").fetchall()
        db.execute("UPDATE inbox SET attempts = attempts + 1 WHERE done_at IS NULL")
        db.execute("DELETE FROM inbox WHERE done_at < ?", (now - KEEP_DONE_SECONDS,))
        db.execute("COMMIT")
        if given_up:
            log.warning("inbox: %d updates given up after %d interrupted attempts", given_up, MAX_ATTEMPTS)
        return [r[0] for r in rows]

    # ---- the bot's side ------------------------------------------------------------------------

    async def receive(self, payload: bytes) -> bytes:
        """A getUpdates response body, cleaned, stored, and with repeats and broken updates emptied."""
        try:
            data = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            return payload
        if not isinstance(data, dict) or not data.get("ok") or not isinstance(data.get("result"), list):
            return payload
        updates: list[tuple[int, dict, bool]] = []
        for raw in data["result"]:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                log.warning("skipped an update without an update_id")
                continue
            raw = clean(raw)
            try:
                Update.de_json(raw, None)
                ok = True
            except Exception as exc:  # whatever the library trips on; never log the content
                log.warning("skipped malformed update %d (%s)", update_id, type(exc).__name__)
                self.skipped += 1
                ok = False
            updates.append((update_id, raw, ok))
        if not updates:
            return json.dumps({"ok": True, "result": []}).encode()
        stored = [(uid, json.dumps(raw), ok) for uid, raw, ok in updates]
        fresh = await self._call(self._admit, stored)
        if fresh is None:  # no inbox: answer everything, durably or not
            fresh = {uid for uid, _, _ in updates}
        result = [raw if ok and uid in fresh else {"update_id": uid} for uid, raw, ok in updates]
        return json.dumps({"ok": True, "result": result}).encode()

    async def replay(self, app: Application) -> int:
        """Queue the updates a previous run received but did not answer, before any new one."""
        bodies = await self._call(self._unanswered) or []
        for body in bodies:
            await app.update_queue.put(Update.de_json(json.loads(body), app.bot))
        if bodies:
            log.info("inbox: answering %d updates left from the previous run first", len(bodies))
        self.replayed = len(bodies)
        return len(bodies)

    async def track(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle one update (for FairUpdateProcessor) and mark it answered afterwards."""
        update_id = update.update_id if isinstance(update, Update) else None
        token = _current.set(update_id)
        try:
            await coroutine
        finally:
            _current.reset(token)
            if update_id is not None and update_id not in self._answered:
                await self._call(self._done, update_id)
            self._answered.discard(update_id)

    async def sent(self) -> None:
        """A reply to the update being handled went out: it must not be answered again."""
        update_id = _current.get()
        if update_id is not None and update_id not in self._answered:
            self._answered.add(update_id)
            await self._call(self._done, update_id)

    def request(self, **kwargs: Any) -> InboxRequest:
        """The getUpdates connection, storing each batch before PTB sees it."""
        return InboxRequest(self, **kwargs)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        if self._db is not None:
            self._db.close()
            self._db = None


class InboxRequest(HTTPXRequest):
    """PTB's HTTP request for getUpdates, passing each response body through the inbox."""

    def __init__(self, inbox: Inbox, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inbox = inbox

    async def do_request(
        self, url: str, method: str, request_data=None, **timeouts: Any
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(url, method, request_data, **timeouts)
        if code == 200 and url.endswith("/getUpdates"):
            payload = await self._inbox.receive(payload)
        return code, payload
