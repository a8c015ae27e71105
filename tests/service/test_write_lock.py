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
        t = threading.Thread(daemon=True, target=writer, args=(n,))
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
    waiter = threading.Thread(daemon=True, target=lambda: (lock.acquire(), order.append("waiter"), lock.release()))
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

    t = threading.Thread(daemon=True, target=holder)
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

    threads = [threading.Thread(daemon=True, target=db.write, args=(first,))]
    threads[0].start()
    inside.wait(5)
    for n in range(1, 5):
        t = threading.Thread(
            daemon=True, target=db.write, args=(lambda tx, n=n: tx.execute("INSERT INTO turns VALUES (?)", [n]),)
        )
        t.start()
        wait_until(lambda n=n: queued(db._write_lock) == n)
        threads.append(t)
    may_finish.set()
    for t in threads:
        t.join(5)
    assert db.read("SELECT n FROM turns ORDER BY rowid") == [(n,) for n in range(5)]


# ------------------------------------------------------------------ read_first


def test_a_read_first_unit_reads_while_another_writer_holds_the_lock(db):
    db.write(lambda tx: tx.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
    db.write(lambda tx: tx.execute("INSERT INTO counter VALUES (1, 0)"))
    read_done = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with db._write_lock:
            release.wait(5)

    def unit(tx):
        [(n,)] = tx.all("SELECT n FROM counter WHERE id = 1")
        read_done.set()
        tx.lock()
        tx.execute("UPDATE counter SET n = ? WHERE id = 1", [n + 1])

    h = threading.Thread(daemon=True, target=holder)
    h.start()
    wait_until(db._write_lock.locked)
    w = threading.Thread(daemon=True, target=db.write, args=(unit,), kwargs={"read_first": True})
    w.start()
    assert read_done.wait(5), "the read waited for the lock"
    assert queued(db._write_lock) == 1  # the write waits its turn
    release.set()
    h.join(5)
    w.join(5)
    assert db.read("SELECT n FROM counter") == [(1,)]
    assert not db._write_lock.locked()


def test_a_row_changed_between_the_read_and_the_write_is_retried_not_overwritten(db):
    db.write(lambda tx: tx.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
    db.write(lambda tx: tx.execute("INSERT INTO counter VALUES (1, 0)"))
    seen: list[int] = []

    def unit(tx):
        [(n,)] = tx.all("SELECT n FROM counter WHERE id = 1")
        seen.append(n)
        if len(seen) == 1:  # another writer commits after this read, before this write
            other = threading.Thread(
                daemon=True, target=db.write, args=(lambda t: t.execute("UPDATE counter SET n = n + 10 WHERE id = 1"),)
            )
            other.start()
            other.join(5)
        tx.lock()
        tx.execute("UPDATE counter SET n = ? WHERE id = 1", [n + 1])

    w = threading.Thread(daemon=True, target=db.write, args=(unit,), kwargs={"read_first": True})
    w.start()
    w.join(10)
    assert not w.is_alive(), "the retry waited for a lock its refused attempt kept"
    assert seen == [0, 10]  # the first attempt was refused as a conflict and ran again
    assert db.read("SELECT n FROM counter") == [(11,)]
    assert not db._write_lock.locked()


def test_a_read_first_unit_that_fails_before_writing_leaves_the_lock_free(db):
    def unit(tx):
        tx.all("SELECT 1")
        raise ValueError("refused before writing")

    with pytest.raises(ValueError):
        db.write(unit, read_first=True)
    assert not db._write_lock.locked()
    assert db.write(lambda tx: tx.one("SELECT 42"), read_first=True) == (42,)
    assert not db._write_lock.locked()
