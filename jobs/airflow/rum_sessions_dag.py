"""Airflow DAGs for rum-sessions: the daily sessionize run and the weekly table maintenance.

Needs the ``apache-airflow-providers-apache-spark`` package and a Spark connection (default
``spark_default``) whose host is the master URL: ``spark://host:7077``, ``yarn``, ``k8s://...``.

Settings are Airflow Variables, read when a task runs (not when the file is parsed):

* ``rum_sessions_jar``: the cluster jar, ``rum-sessions-<version>-cluster.jar``, on a path that
  spark-submit can read.
* ``rum_sessions_config``: the YAML configuration, on a path the driver can read.
* ``rum_sessions_lookback_days``: days recomputed before the target date (default 2), so that
  sessions deferred at the data horizon and late events are written by a later run.

Both DAGs use the pool ``rum_sessions`` so that they never write the Delta tables at the same
time (OPTIMIZE and VACUUM next to a sessionize run make one of them fail with a conflict).
Create it once, with one slot: ``airflow pools set rum_sessions 1 "rum-sessions Delta writers"``.

The daily run covers the day before the run's trigger time (UTC) and the lookback days before it.
Reruns replace their date range, so clearing a task and retrying it is always safe. To backfill,
trigger the DAG for past dates, or run ``jobs/submit ... sessionize --from D1 --to D2`` by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.trigger import CronTriggerTimetable

MAIN_CLASS = "org.rumsessions.cli.RumSessions"
POOL = "rum_sessions"
JAR = "{{ var.value.get('rum_sessions_jar', '/opt/rum-sessions/rum-sessions-0.1.0-cluster.jar') }}"
CONFIG = "{{ var.value.get('rum_sessions_config', '/etc/rum-sessions/cluster.yaml') }}"
LOOKBACK = "(var.value.get('rum_sessions_lookback_days', '2') | int)"

# A trigger timetable gives the same dates on Airflow 2 and 3: data_interval_end is the trigger
# time, and the target date is the UTC day before it.
TARGET_DATE = "{{ macros.ds_add(data_interval_end | ds, -1) }}"
FIRST_DATE = "{{ macros.ds_add(data_interval_end | ds, -1 - " + LOOKBACK + ") }}"

DEFAULT_ARGS = {
    "owner": "rum-sessions",
    # A failed run wrote nothing (or was rolled back), and a rerun replaces its range: retrying is safe.
    "retries": 2,
    "retry_delay": timedelta(minutes=15),
    "execution_timeout": timedelta(hours=4),
}

with DAG(
    dag_id="rum_sessions_daily",
    description="Sessionize yesterday's RUM events, recomputing the lookback days before it",
    schedule=CronTriggerTimetable("30 2 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
    tags=["rum-sessions"],
) as daily:
    SparkSubmitOperator(
        task_id="sessionize",
        conn_id="spark_default",
        application=JAR,
        java_class=MAIN_CLASS,
        name="rum-sessions-sessionize",
        application_args=["sessionize", "--config", CONFIG, "--from", FIRST_DATE, "--to", TARGET_DATE],
        pool=POOL,
    )

with DAG(
    dag_id="rum_sessions_maintain_weekly",
    description="OPTIMIZE and VACUUM the rum-sessions Delta tables",
    schedule=CronTriggerTimetable("0 5 * * 0", timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
    tags=["rum-sessions"],
) as weekly:
    SparkSubmitOperator(
        task_id="maintain",
        conn_id="spark_default",
        application=JAR,
        java_class=MAIN_CLASS,
        name="rum-sessions-maintain",
        application_args=["maintain", "--config", CONFIG],
        pool=POOL,
    )
