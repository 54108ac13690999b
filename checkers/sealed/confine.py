"""`python -m prepdeck.checkers.sealed.confine DIR -- COMMAND…`: runs COMMAND (the Spark server) able to write
only beneath DIR and to /dev/null (Landlock, see limits.confine_writes), so code an answer sends to the server
(`df.write.csv('/home/…')`, `INSERT OVERWRITE DIRECTORY`) cannot write files elsewhere. Without Landlock it
says so in one line on stderr (the server's log) and runs COMMAND unconfined, as before."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from prepdeck.checkers.sealed.limits import confine_writes


def main(argv: list[str]) -> int:
    split = argv.index("--")
    write, command = [Path(p) for p in argv[:split]], argv[split + 1 :]
    if os.environ.get("PREPDECK_SEALED_LANDLOCK") == "0" or not confine_writes(write):
        print(
            "prepdeck: Landlock unavailable: the Spark server's file writes are NOT confined", file=sys.stderr
        )
        sys.stderr.flush()
    os.execvp(command[0], command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
