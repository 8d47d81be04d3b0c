"""The feedback store: every question and every 👍/👎, in SQLite (a real file, WAL mode).

- Writing never blocks the event loop: `record_question` assigns the row id at once and hands the
  row to one writer thread, which commits in batches. While the file is locked, missing,
  unwritable or damaged the rows wait in memory (up to MAX_BUFFERED) and are retried with backoff;
  the outage is logged once, and its end in one recovery line. A file deleted or replaced under
  the bot is noticed (its inode changes) and reopened.
- Votes are stored only for an answer in the same chat (forged button data names another chat's
  answer) and report whether they were stored: a vote that cannot be written is not thanked for.
- User and chat ids are stored only as salted HMAC-SHA256 hashes; no names, no usernames. The
  database, its WAL side files and the salt are 0600, the data folder 0700.
- The schema carries a version (PRAGMA user_version); older databases are migrated in place, a
  newer one is refused in one line. `FeedbackReader` (the curator's tools) opens the file
  read-only, never migrates or prunes it, and reports a damaged file in one line.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import hmac
import logging
import os
import queue
import secrets
import sqlite3
import stat
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import SpeechBotError

if TYPE_CHECKING:
    from bot.core.engine import Answer

log = logging.getLogger(__name__)

# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: questions and votes
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        asked_at TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        question TEXT NOT NULL,
        matched INTEGER NOT NULL,
        score REAL NOT NULL,
        passage_id TEXT
    );
    CREATE TABLE votes (
        question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        user_hash TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        PRIMARY KEY (question_id, user_hash)
    );
    """,
    # 2: document title, hashed asker, vote time, time index
    """
    ALTER TABLE questions ADD COLUMN document TEXT;
    ALTER TABLE questions ADD COLUMN user_hash TEXT;
    ALTER TABLE questions ADD COLUMN chat_hash TEXT;
    ALTER TABLE votes ADD COLUMN voted_at TEXT;
    CREATE INDEX questions_asked_at ON questions(asked_at);
    """,
    # 3: the short reason a user may give after 👎 ("哪里不对？")
    """
    ALTER TABLE votes ADD COLUMN reason TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

BUSY_TIMEOUT_MS = 50  # how long one write waits for a lock before the rows are kept for a retry
RETRY_SECONDS = (0.1, 1.0)  # first and longest wait between retries during an outage
MAX_BUFFERED = 10_000  # rows kept in memory during an outage; beyond it the oldest are dropped
VOTE_SECONDS = 2.0  # a vote not written by then is reported as not stored (and dropped)
MAX_QUESTION_CHARS = 2000
MAX_REASON_CHARS = 500


class StoreError(SpeechBotError):
    """The feedback database cannot be used: not a database, damaged, or from a newer program."""


def clean_text(text: str) -> str:
    """`text` with lone surrogates (unpaired UTF-16 code units) replaced by U+FFFD, pairs joined."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _since(days: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# ---- files: private folder and files ---------------------------------------------------------------


def private_folder(folder: Path) -> None:
    """Create `folder` as 0700; tighten it when it is ours, unless it is the working or home folder."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    resolved = folder.resolve()
    if resolved in (Path.cwd().resolve(), Path.home().resolve()):
        return
    info = folder.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        folder.chmod(0o700)


def private_files(path: Path) -> None:
    """The database and its side files (-wal, -shm, -journal) readable by their owner only."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for side in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        try:
            info = side.stat()
            if (
                stat.S_ISREG(info.st_mode)
                and info.st_uid == os.getuid()
                and stat.S_IMODE(info.st_mode) & 0o077
            ):
                side.chmod(stat.S_IMODE(info.st_mode) & 0o700)
        except OSError:
            continue


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


# ---- schema --------------------------------------------------------------------------------------


def migrate(db: sqlite3.Connection, path: Path | str) -> None:
    """Bring the schema up to SCHEMA_VERSION, one transaction per step; refuse a newer schema."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise StoreError(newer_schema(path, current))
    for version in range(current + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in filter(str.strip, MIGRATIONS[version - 1].split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version={version}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        log.info("feedback database %s upgraded to schema %d", path, version)


def newer_schema(path: Path | str, version: int) -> str:
    return (
        f"feedback database {path} has schema {version}, newer than this program's {SCHEMA_VERSION}:"
        " upgrade speech-bot or set DATABASE_PATH to another file"
    )


@dataclass(frozen=True, slots=True)
class Totals:
    questions: int
    matched: int
    declined: int
    up: int
    down: int
    askers: int


# ---- reading (curator report, /stats) --------------------------------------------------------------


class _Queries:
    """The report's queries, over whatever connection `_rows` provides."""

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        raise NotImplementedError

    def totals(self, days: int) -> Totals:
        since = _since(days)
        ((count, matched, askers),) = self._rows(
            "SELECT COUNT(*), COALESCE(SUM(matched), 0), COUNT(DISTINCT user_hash) FROM questions WHERE asked_at >= ?",
            (since,),
        )
        ((up, down),) = self._rows(
            "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM votes"
            " JOIN questions ON questions.id = votes.question_id WHERE asked_at >= ?",
            (since,),
        )
        return Totals(count, matched, count - matched, up, down, askers)

    def declined_questions(self, days: int) -> list[str]:
        rows = self._rows(
            "SELECT question FROM questions WHERE matched = 0 AND asked_at >= ? ORDER BY id", (_since(days),)
        )
        return [r[0] for r in rows]

    def voted_answers(self, days: int) -> list[tuple[str, int, int, list[str]]]:
        """(passage id, 👎 count, 👍 count, the questions that led to it), most 👎 first."""
        rows = self._rows(
            "SELECT q.passage_id, v.vote, q.question FROM votes v JOIN questions q ON q.id = v.question_id"
            " WHERE q.asked_at >= ? AND q.passage_id IS NOT NULL ORDER BY q.id",
            (_since(days),),
        )
        down: dict[str, int] = {}
        up: dict[str, int] = {}
        asked: dict[str, list[str]] = {}
        for passage_id, vote, question in rows:
            (down if vote < 0 else up)[passage_id] = (down if vote < 0 else up).get(passage_id, 0) + 1
            questions = asked.setdefault(passage_id, [])
            if question not in questions:
                questions.append(question)
        found = [(pid, down[pid], up.get(pid, 0), asked[pid]) for pid in asked if down.get(pid)]
        return sorted(found, key=lambda r: (-r[1], r[2]))

    def matched_passages(self, days: int) -> list[tuple[str, int]]:
        rows = self._rows(
            "SELECT passage_id, COUNT(*) FROM questions WHERE matched = 1 AND asked_at >= ? GROUP BY passage_id",
            (_since(days),),
        )
        return [(r[0], r[1]) for r in rows]


class FeedbackReader(_Queries):
    """The database opened read-only for the curator: never written, migrated or pruned.

    An older schema is read from an in-memory copy upgraded there; a newer schema, a damaged
    file, a folder or anything that is not SQLite is a `StoreError` with one line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise StoreError(f"no feedback database at {path} (set DATABASE_PATH)")
        if path.is_dir():
            raise StoreError(f"feedback database {path} is a folder, not a file (set DATABASE_PATH)")
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2.0)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                db.close()
                raise StoreError(newer_schema(path, version))
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version < SCHEMA_VERSION or not {"questions", "votes"} <= tables:
                copy = sqlite3.connect(":memory:", isolation_level=None)
                db.backup(copy)
                db.close()
                migrate(copy, path)
                db = copy
            self._db = db
        except sqlite3.Error as exc:
            raise StoreError(damaged(path, exc)) from None

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(damaged(self.path, exc)) from None

    def close(self) -> None:
        self._db.close()


def _is_damaged(exc: sqlite3.DatabaseError) -> bool:
    """Not a database at all, or a corrupt one (not: locked, read-only, cannot open)."""
    return type(exc) is sqlite3.DatabaseError or "malformed" in str(exc) or "not a database" in str(exc)


def damaged(path: Path, exc: BaseException) -> str:
    return (
        f"feedback database {path} cannot be read ({_one_line(exc)}): damaged, or not a speech-bot database"
    )


# ---- writing (the bot) ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Question:
    row: tuple


@dataclass(slots=True)
class _Vote:
    question_id: int
    user_hash: str
    chat_hash: str | None  # None: not checked (the old API)
    vote: int
    deadline: float
    done: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


@dataclass(slots=True)
class _Reason:
    question_id: int
    user_hash: str
    reason: str
    done: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


@dataclass(slots=True)
class _Prune:
    days: int
    done: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


@dataclass(slots=True)
class _Flush:
    done: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


_STOP = object()


class FeedbackStore(_Queries):
    """The bot's store: writes go through one writer thread; see the module's notes."""

    def __init__(
        self,
        path: Path,
        salt: str,
        *,
        retention_days: int = 180,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.path = Path(path)
        self.retention_days = retention_days
        self._salt = salt.encode()
        self._busy_ms = int(busy_timeout_ms)
        self._db: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._outage: str | None = None
        self._outage_since = 0.0
        self._dropped = 0
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._id_lock = threading.Lock()
        self._next_id = 0
        first_id = int(time.time() * 1000)  # when the file cannot be read now: ids no file holds yet
        try:
            self._open()
            first_id = self._max_id() + 1
        except StoreError:
            raise  # a newer schema: refuse to run rather than write into it
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)
        self._next_id = first_id
        self._last_prune = 0.0
        self._thread = threading.Thread(target=self._run, name="feedback-writer", daemon=True)
        self._thread.start()
        self._prune_if_due()

    # ---- the connection (writer thread only, after __init__) ---------------------------------------

    def _open(self) -> None:
        try:
            db = self._connect()
        except sqlite3.DatabaseError as exc:
            if not _is_damaged(exc):
                raise
            self._set_aside(exc)
            db = self._connect()
        private_files(self.path)  # the -wal and -shm files now exist
        self._db = db
        self._identity = _identity(self.path)

    def _connect(self) -> sqlite3.Connection:
        private_folder(self.path.parent)
        private_files(self.path)
        db = sqlite3.connect(
            self.path, timeout=self._busy_ms / 1000, check_same_thread=False, isolation_level=None
        )
        try:
            db.execute(f"PRAGMA busy_timeout={self._busy_ms}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            migrate(db, self.path)
            db.execute("SELECT COUNT(*) FROM questions").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self, exc: BaseException) -> None:
        """Move a damaged file (and its side files) aside, kept for the curator; start a new one."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").rename(f"{aside}{suffix}")
        log.error(
            "feedback database %s is damaged (%s): moved to %s, recording into a new file",
            self.path,
            _one_line(exc),
            aside,
        )

    def _ensure_open(self) -> sqlite3.Connection:
        if self._db is not None and _identity(self.path) != self._identity:
            log.warning("feedback database %s was deleted or replaced; reopening it", self.path)
            self._db.close()
            self._db = None
        if self._db is None:
            self._open()
            top = self._max_id()
            with self._id_lock:
                self._next_id = max(self._next_id, top + 1)
        assert self._db is not None
        return self._db

    def _max_id(self) -> int:
        assert self._db is not None
        return self._db.execute("SELECT COALESCE(MAX(id), 0) FROM questions").fetchone()[0]

    def _take_id(self) -> int:
        with self._id_lock:
            self._next_id += 1
            return self._next_id - 1

    @property
    def version(self) -> int:
        with self._reader() as db:
            return db.execute("PRAGMA user_version").fetchone()[0]

    @property
    def healthy(self) -> bool:
        """False during an outage (rows are being kept in memory)."""
        return self._outage is None

    def close(self, timeout: float = 5.0) -> None:
        """Write what is buffered (waiting up to `timeout`), then stop the writer."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(_STOP)
        self._thread.join(timeout)
        if self._db is not None:
            self._db.close()
            self._db = None

    # ---- writing --------------------------------------------------------------------------------

    def hash_id(self, value: int) -> str:
        return hmac.new(self._salt, str(value).encode(), hashlib.sha256).hexdigest()[:32]

    def record_question(
        self, *, question: str, answer: Answer, chat_type: str, user_id: int, chat_id: int
    ) -> int | None:
        """Queue one asked question for writing; returns its row id at once (never blocks)."""
        if self._closed:
            return None
        question_id = self._take_id()
        row = (
            question_id,
            _now(),
            str(chat_type),
            clean_text(question)[:MAX_QUESTION_CHARS],
            int(answer.matched),
            float(answer.confidence),
            answer.key if answer.matched else None,
            answer.document or None,
            self.hash_id(user_id),
            self.hash_id(chat_id),
        )
        self._jobs.put(_Question(row))
        self._prune_if_due()
        return question_id

    async def vote(self, *, question_id: int, user_id: int, chat_id: int | None, up: bool) -> bool:
        """One vote per user per answer (voting again changes it); True only once it is stored.

        Refused (False) when the answer is unknown, or was given in another chat than the one the
        button is in (forged button data), or the chat is unknown (an inline message), or the
        database cannot be written within VOTE_SECONDS.
        """
        if chat_id is None or self._closed:
            return False
        job = self._vote_job(question_id, user_id, self.hash_id(chat_id), up)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(job.done), VOTE_SECONDS + 0.5)
        except asyncio.TimeoutError:
            return False

    def record_vote(self, *, question_id: int, user_id: int, up: bool, chat_id: int | None = None) -> bool:
        """The blocking form of `vote`, for scripts and tests; without `chat_id` no chat check."""
        if self._closed:
            return False
        chat_hash = self.hash_id(chat_id) if chat_id is not None else None
        job = self._vote_job(question_id, user_id, chat_hash, up)
        try:
            return job.done.result(VOTE_SECONDS + 0.5)
        except concurrent.futures.TimeoutError:
            return False

    def _vote_job(self, question_id: int, user_id: int, chat_hash: str | None, up: bool) -> _Vote:
        job = _Vote(
            int(question_id),
            self.hash_id(user_id),
            chat_hash,
            1 if up else -1,
            time.monotonic() + VOTE_SECONDS,
        )
        self._jobs.put(job)
        return job

    def record_vote_reason(self, *, question_id: int, user_id: int, reason: str) -> bool:
        """Attach a short reason to this user's vote on an answer (blocks up to VOTE_SECONDS: call it
        through asyncio.to_thread). False if there is no such vote or it could not be stored."""
        if self._closed:
            return False
        job = _Reason(int(question_id), self.hash_id(user_id), clean_text(reason)[:MAX_REASON_CHARS])
        self._jobs.put(job)
        try:
            return job.done.result(VOTE_SECONDS + 0.5)
        except concurrent.futures.TimeoutError:
            return False

    def prune(self, days: int) -> int:
        """Delete question rows (and their votes) older than `days`; returns how many (0 if it failed)."""
        job = _Prune(days)
        self._jobs.put(job)
        try:
            return job.done.result(10.0)
        except concurrent.futures.TimeoutError:
            return 0

    def _prune_if_due(self) -> None:
        """Apply the retention setting at most once a day (checked on every question)."""
        if not self._last_prune or time.monotonic() - self._last_prune >= 86_400:
            self._last_prune = time.monotonic()
            self._jobs.put(_Prune(self.retention_days))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is written; False if it is still buffered."""
        if self._closed:
            return False
        job = _Flush()
        self._jobs.put(job)
        try:
            return job.done.result(timeout)
        except concurrent.futures.TimeoutError:
            return False

    # ---- the writer thread ----------------------------------------------------------------------

    def _run(self) -> None:
        pending: list = []
        delay = RETRY_SECONDS[0]
        stopping = False
        while not stopping:
            try:
                job = self._jobs.get(timeout=delay if pending else None)
            except queue.Empty:
                job = None
            flushes: list[_Flush] = []
            while job is not None:
                if job is _STOP:
                    stopping = True
                elif isinstance(job, _Flush):
                    flushes.append(job)
                else:
                    pending.append(job)
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    job = None
            if pending:
                if self._write(pending):
                    delay = RETRY_SECONDS[0]
                else:
                    delay = min(delay * 2, RETRY_SECONDS[1])
                    self._bound(pending)
            for flush in flushes:
                flush.done.set_result(not pending)
        if pending:
            log.error(
                "feedback database %s: %d rows could not be written before stopping",
                self.path,
                sum(isinstance(j, _Question) for j in pending),
            )

    def _write(self, pending: list) -> bool:
        """Write every pending job in one transaction; on failure keep the rows, refuse the votes."""
        now = time.monotonic()
        for job in [j for j in pending if isinstance(j, _Vote) and j.deadline < now]:
            pending.remove(job)
            job.done.set_result(False)
        if not pending:
            return True
        results: list[tuple[concurrent.futures.Future, object]] = []
        db = None
        try:
            db = self._ensure_open()
            db.execute("BEGIN IMMEDIATE")
            for job in pending:
                if isinstance(job, _Question):
                    self._insert_question(db, job.row)
                elif isinstance(job, _Vote):
                    results.append((job.done, self._insert_vote(db, job)))
                elif isinstance(job, _Reason):
                    results.append((job.done, self._add_reason(db, job)))
                elif isinstance(job, _Prune):
                    results.append((job.done, self._delete_old(db, job.days)))
            db.execute("COMMIT")
        except (sqlite3.Error, OSError, StoreError) as exc:
            if db is not None and db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            for job in [j for j in pending if isinstance(j, (_Vote, _Reason))]:
                pending.remove(job)
                job.done.set_result(False)
            self._failed(exc)
            return False
        written = sum(isinstance(j, _Question) for j in pending)
        pending.clear()
        for future, value in results:
            future.set_result(value)
        if self._outage is not None:
            log.warning(
                "feedback database %s is writable again after %.1f s; %d kept rows written%s",
                self.path,
                time.monotonic() - self._outage_since,
                written,
                f", {self._dropped} dropped" if self._dropped else "",
            )
            self._outage = None
            self._dropped = 0
        return True

    @staticmethod
    def _insert_question(db: sqlite3.Connection, row: tuple) -> None:
        columns = "asked_at, chat_type, question, matched, score, passage_id, document, user_hash, chat_hash"
        try:
            db.execute(f"INSERT INTO questions (id, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        except sqlite3.IntegrityError:  # the id is taken in a replaced file: a new id
            db.execute(f"INSERT INTO questions ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row[1:])

    @staticmethod
    def _insert_vote(db: sqlite3.Connection, job: _Vote) -> bool:
        found = db.execute("SELECT chat_hash FROM questions WHERE id = ?", (job.question_id,)).fetchone()
        if found is None:
            log.info("vote for unknown answer %s ignored", job.question_id)
            return False
        if job.chat_hash is not None and found[0] != job.chat_hash:
            log.info("vote for answer %s from another chat refused", job.question_id)
            return False
        db.execute(
            "INSERT INTO votes (question_id, user_hash, vote, voted_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (question_id, user_hash) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
            (job.question_id, job.user_hash, job.vote, _now()),
        )
        return True

    @staticmethod
    def _add_reason(db: sqlite3.Connection, job: _Reason) -> bool:
        cursor = db.execute(
            "UPDATE votes SET reason = ? WHERE question_id = ? AND user_hash = ?",
            (job.reason, job.question_id, job.user_hash),
        )
        return cursor.rowcount > 0

    @staticmethod
    def _delete_old(db: sqlite3.Connection, days: int) -> int:
        cutoff = _since(days)
        db.execute(
            "DELETE FROM votes WHERE question_id IN (SELECT id FROM questions WHERE asked_at < ?)", (cutoff,)
        )
        return db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

    def _failed(self, exc: BaseException) -> None:
        """Log the first failure of an outage (one line); later ones stay quiet until it recovers."""
        if self._db is not None and isinstance(exc, sqlite3.DatabaseError) and "locked" not in str(exc):
            self._db.close()  # a damaged or vanished file: open it afresh next time
            self._db = None
        if self._outage is None:
            self._outage = _one_line(exc)
            self._outage_since = time.monotonic()
            log.error(
                "feedback database %s unavailable (%s); answering anyway, keeping rows in memory and retrying",
                self.path,
                self._outage,
            )

    def _bound(self, pending: list) -> None:
        questions = [j for j in pending if isinstance(j, _Question)]
        for job in questions[: max(0, len(questions) - MAX_BUFFERED)]:
            pending.remove(job)
            self._dropped += 1

    # ---- reading (read your own writes) ------------------------------------------------------------

    def _reader(self):
        db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        return contextlib.closing(db)

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.healthy:
            self.flush(timeout=0.5)  # read your own writes, but never wait out an outage
        with self._reader() as db:
            return db.execute(sql, params).fetchall()


def load_salt(configured: str | None, data_dir: Path) -> str:
    """The HASH_SALT setting, else a random salt generated once into the data folder (0600)."""
    if configured:
        return configured
    path = data_dir / "hash-salt"
    if path.exists():
        return path.read_text("utf-8").strip()
    private_folder(data_dir)
    salt = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(salt + "\n")
    return salt


def open_store(settings) -> FeedbackStore | None:
    """The store at DATABASE_PATH (StoreError for a newer schema), or None when no salt can be had."""
    try:
        salt = load_salt(settings.hash_salt, settings.data_dir)
    except OSError as exc:
        log.error(
            "feedback data folder %s unusable (%s); the bot answers without recording", settings.data_dir, exc
        )
        return None
    return FeedbackStore(settings.database_path, salt, retention_days=settings.retention_days)
