"""Two requests or two workers at once: the database constraints and row locks decide."""

from __future__ import annotations

import threading
from datetime import timedelta

from invsim.challenges import jobs, service, standings
from invsim.challenges.models import Participant, StandingRun
from invsim.core.errors import Conflict
from invsim.extensions import db
from tests.service.challenges.support import END, START, count, make_challenge, new_user


def _race(app, work, times=2):
    """Run `work` in `times` threads at once; return what each returned or raised."""
    barrier, results = threading.Barrier(times), []

    def run():
        with app.app_context():
            barrier.wait()
            try:
                results.append(work())
            except Exception as error:  # noqa: BLE001 - the race's loser is the result
                results.append(error)
            finally:
                db.session.remove()

    db.session.remove()  # the test's own transaction would hold SQLite's write lock
    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_simultaneous_joins_of_one_user_make_one_participation(appctx):
    player = new_user()
    challenge = make_challenge(new_user())
    results = _race(appctx, lambda: service.join_challenge(viewer_id=player.id,
                                                           challenge_id=challenge.id))
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert count(Participant) == 1


def test_two_workers_refreshing_at_once_write_one_run(appctx, clock):
    challenge = make_challenge(new_user())
    service.join_challenge(viewer_id=new_user().id, challenge_id=challenge.id)
    clock.set(START + timedelta(minutes=2))
    results = _race(appctx, lambda: standings.refresh_standings(challenge.id))
    assert sorted(results) == [0, 1]
    assert count(StandingRun) == 1


def test_two_workers_closing_at_once_freeze_one_final_run(appctx, clock):
    challenge = make_challenge(new_user())
    service.join_challenge(viewer_id=new_user().id, challenge_id=challenge.id)
    clock.set(END + timedelta(minutes=1))
    results = _race(appctx, jobs.close_finished)
    assert all(not isinstance(r, Exception) for r in results)
    assert count(StandingRun, StandingRun.is_final.is_(True)) == 1
