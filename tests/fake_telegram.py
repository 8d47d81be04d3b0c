"""A fake Telegram Bot API server on 127.0.0.1 that the real PTB client talks HTTP to.

It serves what the bot uses (getMe, deleteWebhook, getUpdates with long polling and offsets,
sendMessage, editMessageText, answerCallbackQuery, answerInlineQuery, setMyCommands), records
every successful call, and can be told to fail calls (HTTP 502, 429 with retry_after, or a
dropped connection) to test retries. Tests push updates with `message()`, `callback()`, ….
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

TOKEN = "123456789:TESTtokenAAAAAAAAAAAAAAAAAAAAAAAAAAA"
BOT_ID = 424242
BOT_USERNAME = "speech_test_bot"
# Form fields PTB sends JSON-encoded (every non-string value is); the rest are plain strings.
_JSON_FIELDS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "cache_time",
    "reply_markup",
    "results",
    "commands",
    "entities",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "show_alert",
    "drop_pending_updates",
    "is_personal",
    "disable_notification",
    "scope",
    "button",
}
_NO_FAILURES = {
    "getUpdates",
    "getMe",
    "deleteWebhook",
    "setMyCommands",
    "setMyDescription",
    "setMyShortDescription",
    "close",
    "logOut",
}


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    params: dict
    at: float
    result: object = None  # what the fake answered (a sent message carries its message_id)


class FakeTelegram:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []  # successful calls, except getUpdates
        self.failures: list[tuple[str, str]] = []  # (method, kind) of injected failures
        self.fail: Callable[[str, dict], str | None] | None = None
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.last_message_id = 0  # of the last user message pushed
        self.uneditable: set[int] = set()  # message ids editMessageText refuses (too old to edit)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._stopping = False
        self.port = 0

    # ---- server ------------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_post("/_control/burst", self._control_burst)
        app.router.add_get("/_control/calls", self._control_calls)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)  # long polls end at once
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self.base_url

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def release_polls(self) -> None:
        """Long polls return at once from now on (a client that is stopping need not wait them out)."""
        self._stopping = True
        async with self._changed:
            self._changed.notify_all()

    async def stop(self) -> None:
        await self.release_polls()  # long polls still open (a killed client's) return at once
        if self._runner:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        form = await request.post()
        params = {k: json.loads(v) if k in _JSON_FIELDS else v for k, v in form.items()}
        if self.fail and method not in _NO_FAILURES and (kind := self.fail(method, params)):
            self.failures.append((method, kind))
            if kind == "502":
                return web.json_response(
                    {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502
                )
            if kind == "429":
                return web.json_response(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": 1},
                    },
                    status=429,
                )
            if kind == "drop":
                request.transport.close()
                return web.Response(status=500)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        result = await handler(params)
        if method != "getUpdates":
            self.calls.append(Call(method, params, time.monotonic(), result))
            async with self._changed:
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    # ---- control endpoints, for a benchmark that runs this server in its own process -------------

    async def _control_burst(self, request: web.Request) -> web.Response:
        """Queue `per_chat` questions from each of `chats` chats at once; returns when queued."""
        body = await request.json()
        questions, chats, per_chat = body["questions"], body["chats"], body["per_chat"]
        self.pushed_at: dict[int, list[float]] = {}
        for k in range(per_chat):
            for c in range(chats):
                chat = 10_000 + c
                self.pushed_at.setdefault(chat, []).append(time.monotonic())
                await self.message(questions[(c + k) % len(questions)], chat_id=chat, user_id=chat)
        return web.json_response({"ok": True})

    async def _control_calls(self, request: web.Request) -> web.Response:
        method = request.query.get("method", "sendMessage")
        since = int(request.query.get("since", "0"))
        calls = [c for c in self.calls if c.method == method][since:]
        return web.json_response(
            {
                "calls": [{"chat_id": c.params.get("chat_id"), "at": c.at} for c in calls],
                "pushed_at": getattr(self, "pushed_at", {}),
            }
        )

    # ---- API methods ---------------------------------------------------------------------------

    async def _api_getMe(self, params: dict) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Speech",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def _api_deleteWebhook(self, params: dict) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict) -> bool:
        return True

    async def _api_setMyDescription(self, params: dict) -> bool:
        return True

    async def _api_setMyShortDescription(self, params: dict) -> bool:
        return True

    async def _api_editMessageReplyMarkup(self, params: dict) -> dict:
        return self._message(params["chat_id"], "", params.get("reply_markup"), params.get("message_id"))

    async def _api_close(self, params: dict) -> bool:
        return True

    async def _api_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline and not self._stopping:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except asyncio.TimeoutError:
                    break
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return self._updates[:limit]

    async def _api_sendMessage(self, params: dict) -> dict:
        return self._message(params["chat_id"], params.get("text", ""), params.get("reply_markup"))

    async def _api_editMessageText(self, params: dict) -> dict:
        if int(params.get("message_id") or 0) in self.uneditable:
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {"ok": False, "error_code": 400, "description": "Bad Request: message can't be edited"}
                ),
                content_type="application/json",
            )
        return self._message(
            params["chat_id"], params.get("text", ""), params.get("reply_markup"), params.get("message_id")
        )

    async def _api_answerCallbackQuery(self, params: dict) -> bool:
        return True

    async def _api_answerInlineQuery(self, params: dict) -> bool:
        return True

    def _message(self, chat_id: int, text: str, markup: dict | None, message_id: int | None = None) -> dict:
        message = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Speech", "username": BOT_USERNAME},
            "text": text,
        }
        if markup and "inline_keyboard" in markup:  # a ForceReply is not echoed back
            message["reply_markup"] = markup
        return message

    # ---- pushing updates -------------------------------------------------------------------------

    async def push(self, **update: dict) -> int:
        update_id = next(self._update_ids)
        async with self._changed:
            self._updates.append({"update_id": update_id, **update})
            self._changed.notify_all()
        return update_id

    async def message(
        self,
        text: str,
        *,
        chat_id: int = 1001,
        user_id: int = 501,
        chat_type: str = "private",
        entities: list[dict] | None = None,
        reply_to_bot: bool = False,
        reply_to: int | None = None,
    ) -> int:
        message = self.raw_message(chat_id, user_id, chat_type)
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            entities = [{"type": "bot_command", "offset": 0, "length": len(command)}, *(entities or [])]
        if entities:
            message["entities"] = entities
        if reply_to_bot or reply_to:
            message["reply_to_message"] = self._message(chat_id, "之前的回答", None, reply_to)
        return await self.push(message=message)

    async def edit(self, message_id: int, text: str, *, chat_id: int = 1001, user_id: int = 501) -> int:
        """The user edits an earlier message of theirs."""
        message = self.raw_message(chat_id, user_id, "private" if chat_id > 0 else "supergroup")
        message.update(message_id=message_id, text=text, edit_date=int(time.time()))
        return await self.push(edited_message=message)

    async def photo(self, caption: str, *, chat_id: int = 1001, user_id: int = 501) -> int:
        message = self.raw_message(chat_id, user_id, "private")
        message["photo"] = [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]
        message["caption"] = caption
        return await self.push(message=message)

    async def sticker(self, *, chat_id: int = 1001, user_id: int = 501) -> int:
        message = self.raw_message(chat_id, user_id, "private")
        message["sticker"] = {
            "file_id": "s1",
            "file_unique_id": "u1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return await self.push(message=message)

    async def callback(
        self,
        data: str,
        *,
        chat_id: int = 1001,
        user_id: int = 501,
        message_id: int = 1,
        markup: dict | None = None,
        inline: bool = False,
    ) -> int:
        """A tap on a button; `markup` is the keyboard of the message it sits on; `inline`: a
        message sent through inline mode (no chat, an inline_message_id)."""
        query = {
            "id": str(random.randrange(10**9)),
            "from": self.user(user_id),
            "chat_instance": "ci",
            "data": data,
        }
        if inline:
            query["inline_message_id"] = "inline-1"
        else:
            query["message"] = self._message(chat_id, "按钮所在的消息", markup, message_id)
        return await self.push(callback_query=query)

    async def inline(self, query: str, *, user_id: int = 501) -> int:
        return await self.push(
            inline_query={
                "id": str(random.randrange(10**9)),
                "from": self.user(user_id),
                "query": query,
                "offset": "",
            }
        )

    def raw_message(self, chat_id: int, user_id: int, chat_type: str) -> dict:
        chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "测试群"
        self.last_message_id = next(self._message_ids)
        return {
            "message_id": self.last_message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id),
        }

    @staticmethod
    def user(user_id: int) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": "测试用户"}

    # ---- waiting -------------------------------------------------------------------------------

    def message_id_of(self, params: dict) -> int:
        """The message id the fake gave a message the bot sent (by its recorded parameters)."""
        return next(c.result["message_id"] for c in self.calls if c.params is params)

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict]:
        return [
            c.params
            for c in self.calls
            if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def calls_at(self, method: str = "sendMessage", chat_id: int | None = None) -> float:
        """When the first such call arrived (time.monotonic())."""
        return next(
            c.at
            for c in self.calls
            if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
        )

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out; calls so far: {[(c.method, c.params) for c in self.calls][-8:]}"
                    )
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def reply_to(
        self, update_coro, method: str = "sendMessage", count: int = 1, timeout: float = 10.0
    ) -> list[dict]:
        """Push an update and wait for `count` new calls of `method`; returns their parameters."""
        before = len(self.sent(method))
        await update_coro
        await self.wait_for(lambda: len(self.sent(method)) >= before + count, timeout)
        return self.sent(method)[before:]


async def _serve(port: int) -> None:
    server = FakeTelegram()
    await server.start(port)
    print(server.base_url, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":  # python -m tests.fake_telegram PORT: serve until killed
    import sys

    asyncio.run(_serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
