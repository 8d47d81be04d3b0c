"""The feedback store: every question and every 👍/👎, in SQLite (a real file, WAL mode).

- Rows are committed before the reply is sent; WAL with synchronous=NORMAL keeps every
  committed row through a crash or kill -9 of the process.
- User and chat ids are stored only as salted HMAC-SHA256 hashes; no names, no usernames.
- The schema carries a version (PRAGMA user_version); older databases are migrated in place.
- A locked or unwritable database never stops the bot: errors are logged, the answer goes out.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Totals:
    questions: int
    matched: int
    declined: int
    up: int
    down: int
    askers: int


class FeedbackStore:
    def __init__(
        self, path: Path, salt: str, *, retention_days: int = 180, busy_timeout_ms: int = 250
    ) -> None:
        self.path = path
        self.retention_days = retention_days
        self._salt = salt.encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            path, timeout=busy_timeout_ms / 1000, check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        self.migrate()
        self._last_prune = 0.0
        self.prune_daily()

    # ---- schema -------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema up to SCHEMA_VERSION, one transaction per step."""
        current = self.version
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path} has schema {current}, newer than this program ({SCHEMA_VERSION})"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, MIGRATIONS[version - 1].split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={version}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            log.info("feedback database %s upgraded to schema %d", self.path, version)

    def close(self) -> None:
        self._db.close()

    # ---- writing ------------------------------------------------------------------------------

    def hash_id(self, value: int) -> str:
        return hmac.new(self._salt, str(value).encode(), hashlib.sha256).hexdigest()[:32]

    def record_question(
        self, *, question: str, answer: Answer, chat_type: str, user_id: int, chat_id: int
    ) -> int | None:
        """Store one asked question; returns its row id, or None if the database failed."""
        try:
            cursor = self._db.execute(
                "INSERT INTO questions (asked_at, chat_type, question, matched, score, passage_id, document,"
                " user_hash, chat_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    str(chat_type),
                    question[:2000],
                    int(answer.matched),
                    float(answer.confidence),
                    answer.key if answer.matched else None,
                    answer.document or None,
                    self.hash_id(user_id),
                    self.hash_id(chat_id),
                ),
            )
        except sqlite3.Error:
            log.exception("could not record a question in %s; answering anyway", self.path)
            return None
        self.prune_daily()
        return cursor.lastrowid

    def record_vote(self, *, question_id: int, user_id: int, up: bool) -> bool:
        """One vote per user per answer; voting again changes it. False if not stored."""
        try:
            self._db.execute(
                "INSERT INTO votes (question_id, user_hash, vote, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (question_id, user_hash) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (question_id, self.hash_id(user_id), 1 if up else -1, _now()),
            )
            return True
        except sqlite3.IntegrityError:
            log.info("vote for unknown question %s ignored", question_id)
            return False
        except sqlite3.Error:
            log.exception("could not record a vote in %s", self.path)
            return False

    def record_vote_reason(self, *, question_id: int, user_id: int, reason: str) -> bool:
        """Attach a short reason to this user's vote on an answer. False if not stored."""
        try:
            cursor = self._db.execute(
                "UPDATE votes SET reason = ? WHERE question_id = ? AND user_hash = ?",
                (reason[:500], question_id, self.hash_id(user_id)),
            )
            return cursor.rowcount > 0
        except sqlite3.Error:
            log.exception("could not record a vote reason in %s", self.path)
            return False

    def prune(self, days: int) -> int:
        """Delete question rows (and their votes) older than `days`; returns how many."""
        cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "DELETE FROM votes WHERE question_id IN (SELECT id FROM questions WHERE asked_at < ?)",
                (cutoff,),
            )
            deleted = self._db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
            self._db.execute("COMMIT")
            self._last_prune = time.monotonic()
            return deleted
        except sqlite3.Error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            log.exception("could not apply retention to %s", self.path)
            return 0

    def prune_daily(self) -> None:
        """Apply the retention setting at most once a day (checked on every question)."""
        if not self._last_prune or time.monotonic() - self._last_prune >= 86_400:
            self.prune(self.retention_days)

    # ---- reading (curator report) ---------------------------------------------------------------

    def _since(self, days: int) -> str:
        return (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")

    def totals(self, days: int) -> Totals:
        since = self._since(days)
        q = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(matched), 0), COUNT(DISTINCT user_hash) FROM questions WHERE asked_at >= ?",
            (since,),
        ).fetchone()
        v = self._db.execute(
            "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM votes"
            " JOIN questions ON questions.id = votes.question_id WHERE asked_at >= ?",
            (since,),
        ).fetchone()
        return Totals(q[0], q[1], q[0] - q[1], v[0], v[1], q[2])

    def declined_questions(self, days: int) -> list[str]:
        rows = self._db.execute(
            "SELECT question FROM questions WHERE matched = 0 AND asked_at >= ? ORDER BY id",
            (self._since(days),),
        )
        return [r[0] for r in rows]

    def voted_answers(self, days: int) -> list[tuple[str, int, int, list[str]]]:
        """(passage id, 👎 count, 👍 count, the questions that led to it), most 👎 first."""
        rows = self._db.execute(
            "SELECT q.passage_id, SUM(v.vote = -1), SUM(v.vote = 1), GROUP_CONCAT(DISTINCT q.question)"
            " FROM votes v JOIN questions q ON q.id = v.question_id"
            " WHERE q.asked_at >= ? AND q.passage_id IS NOT NULL GROUP BY q.passage_id"
            " HAVING SUM(v.vote = -1) > 0 ORDER BY 2 DESC, 3 ASC",
            (self._since(days),),
        )
        return [(r[0], r[1], r[2], (r[3] or "").split(",")) for r in rows]

    def matched_passages(self, days: int) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT passage_id, COUNT(*) FROM questions WHERE matched = 1 AND asked_at >= ? GROUP BY passage_id",
            (self._since(days),),
        )
        return [(r[0], r[1]) for r in rows]


def load_salt(configured: str | None, data_dir: Path) -> str:
    """The HASH_SALT setting, else a random salt generated once into the data folder."""
    if configured:
        return configured
    path = data_dir / "hash-salt"
    if path.exists():
        return path.read_text("utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(salt + "\n")
    return salt


def open_store(settings) -> FeedbackStore | None:
    """The store at DATABASE_PATH, or None (logged) when it cannot be opened at all."""
    try:
        salt = load_salt(settings.hash_salt, settings.data_dir)
        return FeedbackStore(settings.database_path, salt, retention_days=settings.retention_days)
    except (OSError, sqlite3.Error) as exc:
        log.error(
            "feedback database %s unavailable (%s); the bot answers without recording",
            settings.database_path,
            exc,
        )
        return None
