#!/usr/bin/env python3
"""Times normal page loads of `guide serve` while clients send oversized request lines.

Usage: serve_flood.py --port PORT [--long-clients 2] [--size 131072] [--slow-clients 0] [--gets 5]
                      [--path /index.html]

Talks to 127.0.0.1 only. Starts LONG_CLIENTS connections that each send one request whose line is
SIZE bytes of target and SLOW_CLIENTS connections that each send half a request head and then
nothing, then GETS ordinary GETs one after another; prints the time of each GET and
when and how each long client was answered. Every socket has a timeout, so the script ends by
itself (at most about a minute) whatever the server does. Not part of `make test` (issue 20 item 13:
the numbers are in docs/performance.md).
"""
import argparse
import socket
import threading
import time

TIMEOUT = 60


def read_all(sock, first_byte=None):
    """Reads until the server closes; `first_byte` (a list) gets the time the first bytes came."""
    data = b''
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data, 'then closed'
            if not data and first_byte is not None:
                first_byte.append(time.perf_counter())
            data += chunk
    except socket.timeout:
        return data, f'then left open {TIMEOUT} s'
    except ConnectionResetError:
        return data, 'then reset'


def long_client(port, size, results, index, start):
    line = b'GET /' + b'a' * size + b' HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
    sock = socket.create_connection(('127.0.0.1', port), timeout=TIMEOUT)
    try:
        sock.sendall(line)
    except (BrokenPipeError, ConnectionResetError):
        pass
    first_byte = []
    data, ending = read_all(sock, first_byte)
    sock.close()
    status = data.split(b'\r\n', 1)[0].decode('latin-1') if data else '(nothing)'
    results[index] = ((first_byte or [time.perf_counter()])[0] - start, status, ending)


def get(port, path):
    start = time.perf_counter()
    sock = socket.create_connection(('127.0.0.1', port), timeout=TIMEOUT)
    sock.sendall(f'GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'.encode())
    data, _ = read_all(sock)
    sock.close()
    status = data.split(b'\r\n', 1)[0].decode('latin-1') if data else '(nothing)'
    return time.perf_counter() - start, status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--long-clients', type=int, default=2)
    parser.add_argument('--size', type=int, default=128 * 1024)
    parser.add_argument('--slow-clients', type=int, default=0)
    parser.add_argument('--gets', type=int, default=5)
    parser.add_argument('--path', default='/index.html')
    args = parser.parse_args()

    seconds, status = get(args.port, args.path)
    print(f'alone: GET {args.path}: {seconds * 1000:.1f} ms, {status}')
    start = time.perf_counter()
    results = [None] * args.long_clients
    threads = [threading.Thread(target=long_client, args=(args.port, args.size, results, i, start))
               for i in range(args.long_clients)]
    for thread in threads:
        thread.start()
    slow = []
    for _ in range(args.slow_clients):
        sock = socket.create_connection(('127.0.0.1', args.port), timeout=TIMEOUT)
        sock.sendall(b'GET /index.html HTTP/1.1\r\nX-Slow: ')
        slow.append(sock)
    time.sleep(0.05)
    beside = f'{args.long_clients} x {args.size} B request lines'
    if args.slow_clients:
        beside += f' and {args.slow_clients} slow clients'
    for n in range(args.gets):
        seconds, status = get(args.port, args.path)
        print(f'beside {beside}: GET {args.path} #{n + 1}: {seconds * 1000:.1f} ms, {status}')
    dropped = 0
    for sock in slow:
        sock.settimeout(0.001)
        try:
            dropped += sock.recv(1) == b''
        except (socket.timeout, BlockingIOError):
            pass
        except ConnectionResetError:
            dropped += 1
        sock.close()
    if slow:
        print(f'slow clients closed by the server by then: {dropped} of {len(slow)}')
    for thread in threads:
        thread.join()
    for i, result in enumerate(results):
        elapsed, status, ending = result
        print(f'long client {i + 1}: answered after {elapsed:.2f} s: {status} ({ending})')


if __name__ == '__main__':
    main()
