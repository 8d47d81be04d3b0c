"""The per-user flood guard: a spammer is slowed down, then let back in after a minute."""

from __future__ import annotations

from bot.telegram.guard import FloodGuard


def test_over_the_limit_one_warning_then_silence_then_back_after_a_minute():
    now = [0.0]
    guard = FloodGuard(3, clock=lambda: now[0])
    assert [guard.check(1) for _ in range(3)] == ["allow"] * 3
    assert guard.check(1) == "warn"
    assert guard.check(1) == "drop"
    assert guard.check(2) == "allow"  # other users are not affected
    now[0] = 61.0
    assert guard.check(1) == "allow"


def test_idle_users_are_forgotten():
    now = [0.0]
    guard = FloodGuard(3, clock=lambda: now[0])
    for user in range(100):
        guard.check(user)
    now[0] = 120.0
    guard.forget_idle()
    assert guard._seen == {}
