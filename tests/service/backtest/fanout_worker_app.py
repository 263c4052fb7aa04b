"""A Celery app with the sweep task, for a real worker process started by the fan-out tests."""

from __future__ import annotations

import os

from invsim.backtest.fanout import register_sweep_tasks
from invsim.worker import create_celery

app = create_celery(os.environ["INVSIM_FANOUT_REDIS_URL"])
app.conf.update(task_default_queue=os.environ["INVSIM_FANOUT_QUEUE"],
                broker_transport_options={"visibility_timeout": 5})
register_sweep_tasks(app)
