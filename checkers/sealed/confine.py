"""`python -m prepdeck.checkers.sealed.confine DIR -- COMMAND…`: runs COMMAND (the Spark server) able to write
only beneath DIR and to /dev/null (Landlock, see limits.confine_writes), so code an answer sends to the server
(`df.write.csv('/home/…')`, `INSERT OVERWRITE DIRECTORY`) cannot write files elsewhere; with `--read`, nor read
beyond the folders named (`spark.read.text` of a deck's hidden cases or the user's files). Without Landlock it
says so in one line on stderr (the server's log) and runs COMMAND unconfined, as before."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from prepdeck.checkers.sealed.limits import confine_writes


def main(argv: list[str]) -> int:
    """`DIR… [--read DIR…] -- COMMAND…`: with --read, COMMAND reads only beneath those folders and DIR."""
    split = argv.index("--")
    paths, command = argv[:split], argv[split + 1 :]
    read = [Path(p) for p in paths[paths.index("--read") + 1 :]] if "--read" in paths else None
    write = [Path(p) for p in (paths[: paths.index("--read")] if "--read" in paths else paths)]
    if os.environ.get("PREPDECK_SEALED_LANDLOCK") == "0" or not confine_writes(write, read):
        print(
            "prepdeck: Landlock unavailable: the Spark server's file writes are NOT confined", file=sys.stderr
        )
        sys.stderr.flush()
    os.execvp(command[0], command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
