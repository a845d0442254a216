"""A local OpenAI-compatible server for benchmarks: a fixed delay, then valid empty notes.

Threaded, so concurrent calls overlap their delays as they would at a real endpoint. It
counts requests and prompt tokens (text.estimate_tokens over the messages and any
response_format schema), and answers /v1/chat/completions with a ChunkNotesAnswer that has
no notes: the benchmark measures waiting and tokens sent, not a model.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefgen.text import estimate_tokens

EMPTY_NOTES = {"claims": [], "quotes": [], "figures": [], "events": [], "entities": []}


class FakeServer:
    def __init__(self, delay: float = 0.5):
        self.delay = delay
        self.lock = threading.Lock()
        self.reset()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                sent = "".join(m["content"] for m in body["messages"])
                sent += json.dumps(body.get("response_format") or "")
                tokens = estimate_tokens(sent)
                with server.lock:
                    server.requests += 1
                    server.prompt_tokens += tokens
                time.sleep(server.delay)
                content = json.dumps(EMPTY_NOTES)
                reply = json.dumps(
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
                            "completion_tokens": estimate_tokens(content),
                            "total_tokens": tokens + estimate_tokens(content),
                        },
                    }
                ).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def reset(self) -> None:
        with self.lock:
            self.requests = 0
            self.prompt_tokens = 0

    def __enter__(self) -> FakeServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
