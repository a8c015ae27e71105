"""The process-wide write lock serves writers in the order they asked: under eight busy writers
no write waits through more than the seven others' (a plain lock let the releasing thread take
it straight back, and the slowest writes waited through dozens)."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from tracker.store.database import FairLock


def wait_until(cond, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.001)


def queued(lock: FairLock) -> int:
    return len(lock._waiters)


def test_waiters_are_served_in_the_order_they_asked():
    lock = FairLock()
    order: list[int] = []
    lock.acquire()

    def writer(n: int) -> None:
        with lock:
            order.append(n)

    threads = []
    for n in range(6):
        t = threading.Thread(target=writer, args=(n,))
        t.start()
        wait_until(lambda n=n: queued(lock) == n + 1)
        threads.append(t)
    lock.release()
    for t in threads:
        t.join(5)
    assert order == list(range(6))
    assert not lock.locked()


def test_the_releasing_thread_cannot_take_the_lock_back_ahead_of_a_waiter():
    lock = FairLock()
    order: list[str] = []
    lock.acquire()
    waiter = threading.Thread(target=lambda: (lock.acquire(), order.append("waiter"), lock.release()))
    waiter.start()
    wait_until(lambda: queued(lock) == 1)
    lock.release()
    with lock:  # asks again at once, while still running: must queue behind the waiter
        order.append("releaser")
    waiter.join(5)
    assert order == ["waiter", "releaser"]


def test_an_interrupted_waiter_leaves_the_queue_and_the_lock_keeps_working():
    lock = FairLock()
    holder_may_go = threading.Event()

    def holder() -> None:
        with lock:
            holder_may_go.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    wait_until(lock.locked)

    def interrupt(*_):
        raise TimeoutError("interrupted while waiting")

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(TimeoutError):
            lock.acquire()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert queued(lock) == 0
    holder_may_go.set()
    t.join(5)
    assert not lock.locked()
    with lock:
        assert lock.locked()


def test_releasing_an_unheld_lock_is_an_error():
    with pytest.raises(RuntimeError):
        FairLock().release()


def test_database_writes_take_turns_in_arrival_order(db):
    db.write(lambda tx: tx.execute("CREATE TABLE turns (n INTEGER)"))
    inside = threading.Event()
    may_finish = threading.Event()

    def first(tx):
        inside.set()
        may_finish.wait(5)
        tx.execute("INSERT INTO turns VALUES (0)")

    threads = [threading.Thread(target=db.write, args=(first,))]
    threads[0].start()
    inside.wait(5)
    for n in range(1, 5):
        t = threading.Thread(target=db.write, args=(lambda tx, n=n: tx.execute("INSERT INTO turns VALUES (?)", [n]),))
        t.start()
        wait_until(lambda n=n: queued(db._write_lock) == n)
        threads.append(t)
    may_finish.set()
    for t in threads:
        t.join(5)
    assert db.read("SELECT n FROM turns ORDER BY rowid") == [(n,) for n in range(5)]
