"""The round-robin update processor on its own: turns, limits, cancellation."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.telegram.fairness import FairUpdateProcessor


def update(update_id: int, user_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "u"},
                "text": "q",
            },
        },
        None,
    )


async def test_waiting_senders_take_turns_and_at_most_limit_run_at_once():
    processor = FairUpdateProcessor(2)
    order: list[int] = []
    running = 0
    most = 0
    gate = asyncio.Event()

    async def handle(user: int) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await gate.wait()
        order.append(user)
        running -= 1

    arrivals = [1] * 10 + [2, 3, 4]  # user 1 floods first, then three users ask once
    tasks = [
        asyncio.create_task(processor.process_update(update(n, user), handle(user)))
        for n, user in enumerate(arrivals)
    ]
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.gather(*tasks)
    assert most == 2
    assert order.index(4) < [n for n, user in enumerate(order) if user == 1][4]
    assert sorted(order) == sorted(arrivals)


async def test_a_cancelled_waiter_gives_its_turn_away():
    processor = FairUpdateProcessor(1)
    gate = asyncio.Event()
    done: list[int] = []

    async def handle(user: int) -> None:
        await gate.wait()
        done.append(user)

    first = asyncio.create_task(processor.process_update(update(1, 1), handle(1)))
    second = asyncio.create_task(processor.process_update(update(2, 2), handle(2)))
    third = asyncio.create_task(processor.process_update(update(3, 3), handle(3)))
    await asyncio.sleep(0.01)
    second.cancel()
    gate.set()
    await asyncio.gather(first, third)
    assert done == [1, 3] and processor.waiting == 0
