#!/usr/bin/env python3
"""Keyspace notifications, differentially: the same commands against two servers, and the
messages a subscriber receives after each command compared.

    notify_diff.py --a PORT --b PORT FILE [FILE ...]

FILE has resp_diff.py's format: one command per line, split like a shell line; blank lines and
'#' lines skipped. Each file starts on fresh connections after FLUSHALL and
CONFIG SET notify-keyspace-events "" (set it in the file). Per server, one connection runs the
commands and a second one is PSUBSCRIBEd to __key*__:*. After each command's reply the
subscriber sends PING: a server publishes a command's notifications before it replies to the
command, so everything the subscriber reads before its pong is what that command published.
Both the reply and the messages must match. Prints each difference and 'N passed, M failed';
exit status 0 only when all matched. Standard library only."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diff_runner  # noqa: E402


class Side:
    def __init__(self, port):
        self.cmd = diff_runner.Connection(port)
        self.sub = diff_runner.Connection(port)
        self.cmd.send(["FLUSHALL"])
        self.cmd.send(["CONFIG", "SET", "notify-keyspace-events", ""])
        self.sub.send(["PSUBSCRIBE", "__key*__:*"])

    def run(self, args):
        try:
            reply = self.cmd.send(args)
        except Exception as e:  # a closed connection is an outcome too
            return ("exception", type(e).__name__), []
        self.sub.write(["PING"])
        messages = []
        while True:
            frame = self.sub.read()
            if frame == ["pong", ""]:
                return reply, messages
            messages.append(frame[2:] if frame and frame[0] == "pmessage" else frame)


if __name__ == "__main__":
    diff_runner.main(__doc__, lambda a, b: [Side(a), Side(b)], lambda side, words: side.run(words))
