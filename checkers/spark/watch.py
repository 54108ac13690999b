"""`python -m prepdeck.checkers.spark.watch OWNER_PID SERVER_PID TOKEN`: stops the Spark server when the prepdeck
process that started it is gone without stopping it (killed, crashed), so no JVM is left behind holding
half a gigabyte. Exits on its own when the server ends first."""

from __future__ import annotations

import sys
import time


def main(argv: list[str]) -> int:
    from prepdeck.checkers.spark.service import SERVER_CLASS, cmdline, pid_alive, terminate_pid

    owner, server = int(argv[0]), int(argv[1])
    token = argv[2] if len(argv) > 2 else SERVER_CLASS
    while pid_alive(server):
        if not pid_alive(owner):
            command = cmdline(server).split()
            if SERVER_CLASS in command and token in command:  # our server, never a recycled pid
                terminate_pid(server)
            return 0
        time.sleep(1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
