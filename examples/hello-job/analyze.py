"""Summarise a CSV dataset: row count and, per numeric column, min / mean / max.

The packaged job runs this as `python3 analyze.py`; run.sh sets DATA_FILE to
the downloaded dataset and JOB_ID to the job's id.
"""
import csv
import os
import statistics


def main() -> None:
    path = os.environ["DATA_FILE"]
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(f"job {os.environ['JOB_ID']}: {len(rows)} rows from {os.path.basename(path)}")
    for column in rows[0].keys() if rows else []:
        try:
            values = [float(row[column]) for row in rows]
        except ValueError:
            continue
        print(f"  {column:>8}: min {min(values):8.2f}  mean {statistics.fmean(values):8.2f}  max {max(values):8.2f}")


if __name__ == "__main__":
    main()
