"""fakesnow vs prepdeck's own Snowflake translation: on correct Snowflake answers to built-in cards, which
one gives the verdict a real Snowflake would (pass)? (issue 11: keep the better.)

fakesnow is not a prepdeck dependency (it needs snowflake-connector-python < 4); run this in a venv of its own
with prepdeck importable, e.g.:

    python3 -m venv /tmp/fs && /tmp/fs/bin/pip install fakesnow "snowflake-connector-python<4" pytest
    mkdir -p /tmp/fsroot && ln -sfn "$PWD" /tmp/fsroot/prepdeck
    PYTHONPATH=/tmp/fsroot /tmp/fs/bin/python -W ignore benchmarks/eval_fakesnow.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import fakesnow
import snowflake.connector
from test_sql_dialect_answers import ANSWERS, CARDS

from prepdeck.checkers.compare import compare_results
from prepdeck.checkers.sql import check_sql, duckdb_worker
from prepdeck.decks.declaration import parse_columns
from prepdeck.decks.tabular import coerce, read_csv

SNOWFLAKE_IDIOMS = [
    (
        "did-x-not-y",
        "SELECT user_id, product_id FROM events WHERE product_id IS NOT NULL GROUP BY 1, 2 HAVING COUNT_IF(event_name = 'add_to_cart') > 0 AND COUNT_IF(event_name = 'purchase') = 0",
    ),
    (
        "did-x-not-y",
        "SELECT user_id, product_id FROM events WHERE product_id IS NOT NULL GROUP BY 1, 2 HAVING SUM(IFF(event_name = 'add_to_cart', 1, 0)) > 0 AND SUM(IFF(event_name = 'purchase', 1, 0)) = 0",
    ),
    (
        "dedupe-latest-row",
        "SELECT customer_id, email, plan, updated_at FROM customer_updates QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY updated_at DESC NULLS LAST, ingested_at DESC) = 1",
    ),
    (
        "anti-join-not-in-null",
        "SELECT customer_id, name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)",
    ),
    (
        "self-join-manager-salary",
        "SELECT e.name, e.salary, m.name, m.salary FROM employees e JOIN employees m ON m.emp_id = e.manager_id WHERE e.salary > m.salary",
    ),
    (
        "percent-of-total",
        "SELECT category, product, revenue, ROUND(DIV0(100 * revenue, SUM(revenue) OVER (PARTITION BY category)), 2), ROUND(DIV0(100 * revenue, SUM(revenue) OVER ()), 2) FROM (SELECT category, product, SUM(revenue) AS revenue FROM order_items WHERE status = 'completed' GROUP BY 1, 2)",
    ),
    (
        "top-n-dense-rank",
        "SELECT dept, name, salary FROM employees WHERE salary IS NOT NULL QUALIFY DENSE_RANK() OVER (PARTITION BY dept ORDER BY salary DESC) <= 3",
    ),
    (
        "scd2-point-in-time-join",
        "SELECT o.order_id, o.customer_id, d.tier, o.amount FROM orders o LEFT JOIN dim_customer d ON d.customer_id = o.customer_id AND o.order_ts >= d.valid_from AND o.order_ts < NVL(d.valid_to, '9999-12-31'::TIMESTAMP)",
    ),
    (
        "running-total-ties",
        "SELECT account_id, entry_id, amount, SUM(amount) OVER (PARTITION BY account_id ORDER BY entry_ts, entry_id ROWS UNBOUNDED PRECEDING) FROM ledger",
    ),
    (
        "top-n-row-number",
        "SELECT customer_id, order_id, order_ts, amount, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_ts DESC NULLS LAST, order_id DESC) AS r FROM orders QUALIFY r <= 2",
    ),
]
corpus = [(c, s) for c, d, s in ANSWERS if d == "snowflake"] + SNOWFLAKE_IDIOMS


def fakesnow_verdict(card, sql):
    with fakesnow.patch():
        conn = snowflake.connector.connect(database="db", schema="s")
        cur = conn.cursor()
        ok = True
        for case in card.cases:
            for table, spec in card.tables.items():
                cols = parse_columns(spec)
                cur.execute(
                    f"CREATE OR REPLACE TABLE {table} ("
                    + ", ".join(f"{c.name} {c.written}" for c in cols)
                    + ")"
                )
                text = case.data.get(table)
                if text and text.strip():
                    csv = read_csv(text)
                    by = {c.name.lower(): c for c in cols}
                    for rec in csv.rows:
                        vals = [
                            coerce(v, by[h.lower()].written) for h, v in zip(csv.header, rec, strict=True)
                        ]
                        cur.execute(
                            f"INSERT INTO {table} ({', '.join(csv.header)}) VALUES ({', '.join(['%s'] * len(vals))})",
                            vals,
                        )
            check_sql(card, card.solution, card.dialect, translate_only=True)  # caches the expected rows
            try:
                cur.execute(sql)
                rows = [tuple(r) for r in cur.fetchall()]
            except Exception as e:
                return f"error: {str(e).splitlines()[0][:80]}"
            # expected rows from our judge: re-run the solution through translation and read its actual rows
            from prepdeck.checkers.sql.judge import _SOLUTIONS

            if case.expected is not None:
                from prepdeck.checkers.compare import parse_expected

                table = parse_expected(case.expected)
                erows, ecols, loose = table.rows, len(table.columns), True
            else:
                cached = _SOLUTIONS.get(card, case)
                erows, ecols, loose = cached.rows, len(cached.columns), False
            cmp = compare_results(
                rows,
                erows,
                actual_columns=len(cur.description),
                expected_columns=ecols,
                ordered=card.ordered,
                tolerance=card.tolerance,
                loose=loose,
            )
            ok = ok and cmp.passed
        conn.close()
        return "pass" if ok else "fail"


with duckdb_worker.in_process():
    agree = ours_pass = fs_pass = 0
    t_ours = t_fs = 0.0
    for card_id, sql in corpus:
        card = CARDS[card_id]
        a = time.perf_counter()
        ours = check_sql(card, sql, "snowflake")
        t_ours += time.perf_counter() - a
        a = time.perf_counter()
        fs = fakesnow_verdict(card, sql)
        t_fs += time.perf_counter() - a
        ours_v = "pass" if ours.passed else "fail"
        ours_pass += ours.passed
        fs_pass += fs == "pass"
        print(f"{card_id:28} ours={ours_v:5} fakesnow={fs[:70]}")
    print(
        f"{len(corpus)} correct Snowflake answers: prepdeck translation passes {ours_pass}, fakesnow passes {fs_pass}; time {t_ours * 1000 / len(corpus):.0f} ms vs {t_fs * 1000 / len(corpus):.0f} ms per answer (fakesnow time includes loading each case)"
    )
