"""A local OpenAI-compatible server for benchmarks: a fixed delay, then valid empty notes.

Threaded, so concurrent calls overlap their delays as they would at a real endpoint, and run
in a process of its own, so its work does not share the client's interpreter lock. It counts
requests and prompt tokens (text.estimate_tokens over the messages and any response_format
schema; GET /stats reads them, POST /reset zeroes them) and answers /v1/chat/completions with
a ChunkNotesAnswer that has no notes: the benchmark measures waiting and tokens, not a model.
"""

from __future__ import annotations

import json
import multiprocessing
import socket
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefgen.text import estimate_tokens

EMPTY_NOTES = {"claims": [], "quotes": [], "figures": [], "events": [], "entities": []}


def _serve(delay: float, port_out) -> None:
    lock = threading.Lock()
    counts = {"requests": 0, "prompt_tokens": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def setup(self):
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm and the
            # client's delayed ACK hold the body back ~40 ms, a stall real servers avoid.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _send(self, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # /stats
            with lock:
                self._send(dict(counts))

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["content-length"])) or b"{}")
            if self.path.endswith("/reset"):
                with lock:
                    counts.update(requests=0, prompt_tokens=0)
                return self._send({})
            sent = "".join(m["content"] for m in body["messages"])
            sent += json.dumps(body.get("response_format") or "")
            tokens = estimate_tokens(sent)
            with lock:
                counts["requests"] += 1
                counts["prompt_tokens"] += tokens
            time.sleep(delay)
            content = json.dumps(EMPTY_NOTES)
            done = estimate_tokens(content)
            self._send(
                {
                    "id": "bench",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", "fake"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": content},
                        }
                    ],
                    "usage": {
                        "prompt_tokens": tokens,
                        "completion_tokens": done,
                        "total_tokens": tokens + done,
                    },
                }
            )

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.send(httpd.server_address[1])
    httpd.serve_forever()


class FakeServer:
    def __init__(self, delay: float = 0.5):
        self.delay = delay

    def _call(self, method: str, path: str) -> dict:
        data = b"{}" if method == "POST" else None
        with urllib.request.urlopen(
            urllib.request.Request(self.root + path, data, method=method)
        ) as r:
            return json.loads(r.read())

    @property
    def requests(self) -> int:
        return self._call("GET", "/stats")["requests"]

    @property
    def prompt_tokens(self) -> int:
        return self._call("GET", "/stats")["prompt_tokens"]

    def reset(self) -> None:
        self._call("POST", "/reset")

    def __enter__(self) -> FakeServer:
        receive, send = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.Process(target=_serve, args=(self.delay, send), daemon=True)
        self.process.start()
        port = receive.recv()
        self.root = f"http://127.0.0.1:{port}"
        self.url = self.root + "/v1"
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.join()
