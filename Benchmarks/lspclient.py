"""A minimal LSP client for `profilelens serve` over stdio, shared by the benchmarks.

It answers the server's own requests (refreshes, registrations) with null, remembers their
methods in `server_requests`, and times each request it sends.
"""
import json, queue, subprocess, threading, time


class Client:
    def __init__(self, cmd, cwd):
        self.p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.id = 0
        self.waiting = {}
        self.server_requests = []
        threading.Thread(target=self.read, daemon=True).start()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        f = self.p.stdout
        while True:
            length = None
            while True:
                line = f.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(f.read(length))
            if "method" in msg and "id" in msg:
                self.server_requests.append(msg["method"])
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif "id" in msg and msg["id"] in self.waiting:
                self.waiting.pop(msg["id"]).put(msg)

    def request(self, method, params, timeout=60):
        """The result and the milliseconds it took."""
        self.id += 1
        q = queue.Queue()
        self.waiting[self.id] = q
        t0 = time.perf_counter()
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        msg = q.get(timeout=timeout)
        return msg.get("result"), (time.perf_counter() - t0) * 1000

    def memory(self):
        """Peak and current RSS in MB."""
        status = open(f"/proc/{self.p.pid}/status").read()
        field = lambda name: int(status.split(name + ":")[1].split()[0]) / 1024.0
        return field("VmHWM"), field("VmRSS")

    def stop(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.send({"jsonrpc": "2.0", "method": "exit"})
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()
