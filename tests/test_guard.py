"""The per-user pace: a burst is answered at once, more waits for its slot, told once."""

from __future__ import annotations

from bot.telegram.guard import FloodGuard


def test_a_burst_passes_then_each_message_waits_for_its_slot_and_the_user_is_told_once():
    now = [0.0]
    guard = FloodGuard(3, clock=lambda: now[0])  # three at once, then one every 20 s
    assert all(guard.reserve(1).allowed for _ in range(3))
    fourth, fifth = guard.reserve(1), guard.reserve(1)
    assert (fourth.wait, fourth.notify, fourth.refused) == (20.0, True, False)
    assert (fifth.wait, fifth.notify, fifth.refused) == (40.0, False, False)
    assert guard.reserve(2).allowed  # other users are not affected
    now[0] = 120.0
    assert guard.reserve(1).allowed


def test_a_backlog_over_the_limit_is_refused_and_said_once():
    now = [0.0]
    guard = FloodGuard(3, max_wait=30.0, clock=lambda: now[0])
    verdicts = [guard.reserve(1) for _ in range(6)]  # the fifth would wait 40 s
    assert [v.refused for v in verdicts] == [False] * 4 + [True, True]
    assert [v.notify for v in verdicts] == [False, False, False, True, True, False]


def test_idle_users_are_forgotten():
    now = [0.0]
    guard = FloodGuard(3, clock=lambda: now[0])
    for user in range(100):
        guard.reserve(user)
    now[0] = 120.0
    guard.forget_idle()
    assert guard._tat == {}
