#!/usr/bin/env python3
"""Pub/sub fan-out to many subscribers: one publisher, N subscribers of one channel.

Connects N subscribers to SERVER, subscribes each to one channel, then a publisher pipelines M
PUBLISH commands (each a payload of --size bytes) and the script reads every subscriber's socket
until each has received all M messages. Prints deliveries per second (N x M over the time from
the first PUBLISH sent to the last message received), the time the publisher's replies took,
and whether every subscriber got every message, in order. Run it against strata-server and
redis-server in turn (tools/fanout.sh does both); the client is one Python process, so at high
rates the figure is a floor for both servers alike.

  tools/fanout.py --port 6379 [--subscribers 2000] [--messages 500] [--size 64]
"""
import argparse
import selectors
import socket
import sys
import time


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--subscribers", type=int, default=2000)
    ap.add_argument("--messages", type=int, default=500)
    ap.add_argument("--size", type=int, default=64)
    args = ap.parse_args()

    channel = b"fanout"
    subs = []
    for _ in range(args.subscribers):
        s = socket.create_connection((args.host, args.port))
        s.sendall(encode(b"SUBSCRIBE", channel))
        subs.append(s)
    # Each subscription is confirmed before anything is published.
    for s in subs:
        buf = b""
        while buf.count(b"\r\n") < 6:
            buf += s.recv(4096)
        if b"subscribe" not in buf:
            sys.exit("subscription not confirmed: %r" % buf)

    # Message i's payload starts with its number, so order can be checked at the end.
    payloads = [(b"%08d" % i).ljust(args.size, b"x") for i in range(args.messages)]
    marker = b"$7\r\nmessage\r\n"
    expected_bytes = sum(
        len(b"*3\r\n" + marker + b"$%d\r\n%s\r\n" % (len(channel), channel) +
            b"$%d\r\n%s\r\n" % (len(p), p)) for p in payloads)

    pub = socket.create_connection((args.host, args.port))
    sel = selectors.DefaultSelector()
    received = {}
    for s in subs:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        received[s] = bytearray()

    start = time.perf_counter()
    pub.sendall(b"".join(encode(b"PUBLISH", channel, p) for p in payloads))
    replies = b""
    pub_done = None
    done = 0
    while done < len(subs):
        for key, _ in sel.select(timeout=30):
            s = key.fileobj
            chunk = s.recv(1 << 20)
            if not chunk:
                sys.exit("a subscriber was disconnected")
            received[s] += chunk
            if len(received[s]) >= expected_bytes:
                sel.unregister(s)
                done += 1
        if pub_done is None:
            pub.setblocking(False)
            try:
                replies += pub.recv(1 << 20)
            except BlockingIOError:
                pass
            if replies.count(b"\r\n") >= args.messages:
                pub_done = time.perf_counter()
    elapsed = time.perf_counter() - start
    pub.setblocking(True)
    while replies.count(b"\r\n") < args.messages:
        replies += pub.recv(1 << 20)
    if pub_done is None:
        pub_done = time.perf_counter()

    counts_ok = all(replies.split(b"\r\n")[i] == b":%d" % args.subscribers
                    for i in range(args.messages))
    in_order = all(bytes(buf).count(marker) == args.messages and
                   bytes(buf).find(payloads[-1]) > bytes(buf).find(payloads[0])
                   for buf in received.values())
    deliveries = args.subscribers * args.messages
    print("subscribers %d messages %d size %d" % (args.subscribers, args.messages, args.size))
    print("seconds %.3f deliveries_per_s %.0f publish_replies_seconds %.3f" %
          (elapsed, deliveries / elapsed, pub_done - start))
    print("every_publish_counted_all %s every_subscriber_got_all_in_order %s" %
          (counts_ok, in_order))
    return 0 if counts_ok and in_order else 1


if __name__ == "__main__":
    sys.exit(main())
