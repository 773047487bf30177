#!/usr/bin/env python3
"""A slow link on loopback: a TCP proxy that delays each direction by half the RTT (issue 15).

Usage: slow_link.py --target HOST:PORT [--rtt-ms 50] [--bandwidth-bytes-per-s 0] [--lifetime 600]
                    [--listen-port 0] [--turns-file FILE]

Listens on 127.0.0.1 only and forwards every accepted connection to --target. Bytes read in
one direction are written out rtt/2 after they arrived (so a request/response pair costs one RTT
on top of whatever the ends take), in order; with --bandwidth-bytes-per-s they also leave no
faster than that rate per direction (a serialisation delay, as on a real link). Prints
"READY <port>" when listening. Stops by itself after --lifetime seconds, and on SIGTERM/SIGINT;
either way it prints one JSON line of statistics: connections, bytes each way, and the DCE/RPC
request calls seen from the client (PDUs of type request with the first-fragment flag), which is
the number of sequential round trips an RPC client made through the link (0 over SMB, which it
does not parse). round_trips counts the server's turns: every time the server began to answer after
the client had spoken, whatever the protocol (one per RPC call over ncacn_ip_tcp; over SMB one per
SMB request, e.g. each read of a named pipe). server_turn_s sums, over the turns of each
connection, the time from the client's last byte to the server's first byte as the proxy saw them
(the server's think time, plus half the RTT per turn); client_turn_s the time from the server's
last byte to the client's next one (the client's). server_send_s sums the time from the server's
first byte to its last within each of its turns (a reply written in pieces that wait for each
other, e.g. behind Nagle's algorithm, shows here); client_send_s the same for the client. Each
also has a median and a maximum in ms (*_p50_ms, *_max_ms). --turns-file writes every turn.
"""

import argparse
import asyncio
import json
import signal
import socket
import struct
import sys
import time

STATS = {"connections": 0, "bytes_to_server": 0, "bytes_to_client": 0, "rpc_requests": 0,
         "server_turn_s": 0.0, "client_turn_s": 0.0, "server_send_s": 0.0, "client_send_s": 0.0}
TURNS = {"server_turn_s": [], "client_turn_s": [], "server_send_s": [], "client_send_s": []}  # every turn, for the percentiles
TURN_LOG = []  # [monotonic time, whose turn, seconds, the other side's sending s] (--turns-file)
RPC_REQUEST, PFC_FIRST_FRAG = 0, 0x01


class RpcCounter:
    """Counts DCE/RPC (connection-oriented) request calls in a byte stream; gives up quietly on a
    stream that is not DCE/RPC (e.g. SMB), where the count stays 0."""

    def __init__(self):
        self.buf = bytearray()
        self.ok = True

    def feed(self, data):
        if not self.ok:
            return
        self.buf += data
        while len(self.buf) >= 16:
            if self.buf[0] != 5:  # rpc_vers 5
                self.ok = False
                return
            ptype, flags = self.buf[2], self.buf[3]
            (frag_len,) = struct.unpack_from("<H", self.buf, 8)
            if frag_len < 16:
                self.ok = False
                return
            if len(self.buf) < frag_len:
                return
            if ptype == RPC_REQUEST and flags & PFC_FIRST_FRAG:
                STATS["rpc_requests"] += 1
            del self.buf[:frag_len]


class Turns:
    """Who the conversation is waiting for: time between one side's last byte and the other's first
    (a turn), and how long each side's bytes took to arrive from its first to its last (sending)."""

    def __init__(self):
        self.side, self.first, self.last = None, 0.0, 0.0

    def saw(self, key, now):
        if self.side is not None and self.side != key:
            which = "server_turn_s" if key == "bytes_to_client" else "client_turn_s"
            STATS[which] += now - self.last
            TURNS[which].append(now - self.last)
            sent = "client_send_s" if key == "bytes_to_client" else "server_send_s"
            STATS[sent] += self.last - self.first
            TURNS[sent].append(self.last - self.first)
            TURN_LOG.append([round(now, 6), which[:-7], round(now - self.last, 6), round(self.last - self.first, 6)])
        if self.side != key:
            self.first = now
        self.side, self.last = key, now


async def pump(reader, writer, delay, bandwidth, key, turns, counter=None):
    """Copies reader to writer: each chunk leaves `delay` seconds after it arrived, in order."""
    queue = asyncio.Queue()

    async def send():
        free_at = 0.0  # when the link has finished sending the previous chunk (bandwidth)
        while True:
            arrived, data = await queue.get()
            if data is None:
                break
            due = arrived + delay
            if bandwidth:
                free_at = max(free_at, due) + len(data) / bandwidth
                due = free_at
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.ensure_future(send())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            STATS[key] += len(data)
            turns.saw(key, time.monotonic())
            if counter:
                counter.feed(data)
            queue.put_nowait((time.monotonic(), data))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait((0, None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def handle(client_reader, client_writer, args):
    STATS["connections"] += 1
    host, port = args.target.rsplit(":", 1)
    try:
        server_reader, server_writer = await asyncio.open_connection(host, int(port))
    except OSError:
        client_writer.close()
        return
    for w in (client_writer, server_writer):
        sock = w.get_extra_info("socket")
        if sock is not None:  # forward each chunk as it is due, not held back by Nagle
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    half = args.rtt_ms / 2000.0
    turns = Turns()
    try:
        await asyncio.gather(
            pump(client_reader, server_writer, half, args.bandwidth_bytes_per_s, "bytes_to_server", turns,
                 RpcCounter()),
            pump(server_reader, client_writer, half, args.bandwidth_bytes_per_s, "bytes_to_client", turns))
    except asyncio.CancelledError:
        pass  # stopping (lifetime or signal) with the connection still open


def percentiles():
    """Median and maximum of each side's turns, in ms: a fixed stall per call (e.g. a delayed ACK
    holding a Nagle-delayed write, 40 ms on Linux) shows as a median near it."""
    out = {}
    for which, turns in TURNS.items():
        turns = sorted(turns)
        name = which[:-2]
        out[name + "_p50_ms"] = round(1000 * turns[len(turns) // 2], 2) if turns else None
        out[name + "_max_ms"] = round(1000 * turns[-1], 2) if turns else None
    out["round_trips"] = len(TURNS["server_turn_s"])
    return out


async def main(args):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: done.done() or done.set_result("signal"))
    loop.call_later(args.lifetime, lambda: done.done() or done.set_result("lifetime"))
    server = await asyncio.start_server(lambda r, w: handle(r, w, args), "127.0.0.1", args.listen_port)
    print("READY", server.sockets[0].getsockname()[1], flush=True)
    why = await done
    server.close()
    if args.turns_file:
        with open(args.turns_file, "w") as f:
            json.dump(TURN_LOG, f)
    print(json.dumps(dict(STATS, **percentiles(), stopped_by=why)), flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", required=True, help="HOST:PORT to forward to")
    ap.add_argument("--rtt-ms", type=float, default=50.0, help="round-trip time to add (each way: half)")
    ap.add_argument("--bandwidth-bytes-per-s", type=float, default=0.0, help="0 = unlimited")
    ap.add_argument("--lifetime", type=float, default=600.0, help="exit after this many seconds")
    ap.add_argument("--listen-port", type=int, default=0)
    ap.add_argument("--turns-file", default="", help="write every turn (time, side, seconds) here as JSON")
    a = ap.parse_args()
    if a.rtt_ms < 0 or a.bandwidth_bytes_per_s < 0 or a.lifetime <= 0:
        sys.exit("slow_link.py: --rtt-ms and --bandwidth-bytes-per-s must be >= 0, --lifetime > 0")
    asyncio.run(main(a))
