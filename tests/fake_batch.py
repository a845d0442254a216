"""A local stand-in for OpenAI's Files and Batch APIs, for tests (run it with `serving`).

It keeps files and batches in memory. A batch moves one step per retrieve along `steps`
(by default validating -> in_progress -> completed); on reaching the end it answers each
request line with a careful model's notes (tests/llm_stub.verbatim_notes), except the
custom ids in `fail` (put in the error file) and, when the last step is "expired" or
"cancelled", all but the first `finish` lines (not answered at all).
"""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.llm_stub import first_finding_brief, passage_sentences, verbatim_notes


class FakeBatchService:
    def __init__(self, steps=("validating", "in_progress", "completed"), fail=(), finish=None,
                 cut_off: int = 0):  # fmt: skip
        self.steps = list(steps)
        self.fail = set(fail)
        self.cut_off = cut_off  # the first `cut_off` lines answered cut off at max_tokens
        self.finish = finish
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.uploads: list[bytes] = []
        self.headers: list[dict] = []
        self.live_maps = self.live_others = 0

    def handler(self) -> type:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                service.headers.append({k.lower(): v for k, v in self.headers.items()})
                service.route(self, "GET", b"")

            def do_POST(self):
                service.headers.append({k.lower(): v for k, v in self.headers.items()})
                length = int(self.headers.get("Content-Length", 0))
                service.route(self, "POST", self.rfile.read(length))

        return Handler

    # ------------------------------------------------------------ routes

    def route(self, req, method: str, body: bytes) -> None:
        path = req.path.split("?")[0].removeprefix("/v1")
        if method == "POST" and path == "/files":
            return self.send(req, self.upload(req.headers.get("Content-Type", ""), body))
        if m := re.fullmatch(r"/files/([^/]+)/content", path):
            file = self.files[m.group(1)]
            return self.send(req, file["content"], raw=True)
        if m := re.fullmatch(r"/files/([^/]+)", path):
            return self.send(req, self.file_object(m.group(1)))
        if method == "POST" and path == "/chat/completions":
            return self.send(req, self.chat(json.loads(body)))
        if method == "POST" and path == "/batches":
            return self.send(req, self.create(json.loads(body)))
        if m := re.fullmatch(r"/batches/([^/]+)/cancel", path):
            batch = self.batches[m.group(1)]
            batch["status"] = "cancelled"
            self.finish_batch(batch, answered=0)
            return self.send(req, batch)
        if m := re.fullmatch(r"/batches/([^/]+)", path):
            return self.send(req, self.advance(self.batches[m.group(1)]))
        self.send(req, {"error": {"message": f"no route {path}"}}, status=404)

    def send(self, req, payload, status: int = 200, raw: bool = False) -> None:
        data = payload if raw else json.dumps(payload).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/octet-stream" if raw else "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    # ------------------------------------------------------------ live calls

    def chat(self, body: dict) -> dict:
        """A live call: map requests are counted apart, so a test can say none went live."""
        sentences = passage_sentences(body)
        if sentences is not None:
            self.live_maps += 1
            content = verbatim_notes(sentences)
        else:
            self.live_others += 1
            content = first_finding_brief(body["messages"][-1]["content"])
        return {
            "id": "live",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
        }  # fmt: skip

    # ------------------------------------------------------------ files

    def upload(self, content_type: str, body: bytes) -> dict:
        boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
        content = b""
        for part in body.split(b"--" + boundary):
            if b'name="file"' in part:
                content = part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0]
        self.uploads.append(content)
        return self.add_file(content, "batch")

    def add_file(self, content: bytes, purpose: str) -> dict:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = {"content": content, "purpose": purpose}
        return self.file_object(file_id)

    def file_object(self, file_id: str) -> dict:
        file = self.files[file_id]
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(file["content"]),
            "created_at": 0,
            "filename": f"{file_id}.jsonl",
            "purpose": file["purpose"],
            "status": "processed",
        }

    # ------------------------------------------------------------ batches

    def create(self, request: dict) -> dict:
        assert request["endpoint"] == "/v1/chat/completions"
        assert request["completion_window"] == "24h"
        assert self.files[request["input_file_id"]]["purpose"] == "batch"
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": request["endpoint"],
            "completion_window": request["completion_window"],
            "input_file_id": request["input_file_id"],
            "created_at": 0,
            "status": self.steps[0],
            "step": 0,
            "output_file_id": None,
            "error_file_id": None,
        }
        return self.batches[batch_id]

    def advance(self, batch: dict) -> dict:
        if batch["status"] in ("completed", "failed", "expired", "cancelled"):
            return batch
        batch["step"] = min(batch["step"] + 1, len(self.steps) - 1)
        batch["status"] = self.steps[batch["step"]]
        if batch["status"] in ("completed", "expired"):
            self.finish_batch(batch, answered=self.finish)
        return batch

    def finish_batch(self, batch: dict, answered: int | None) -> None:
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]]["content"].splitlines()]
        if answered is not None:
            lines = lines[:answered]
        out, err = [], []
        for n, line in enumerate(lines):
            cid = line["custom_id"]
            if cid in self.fail:
                err.append(
                    {
                        "id": f"r{n}",
                        "custom_id": cid,
                        "response": None,
                        "error": {"code": "server_error", "message": "failed"},
                    }
                )
                continue
            sentences = passage_sentences(line["body"]) or []
            reply = {
                "id": f"c{n}",
                "object": "chat.completion",
                "model": line["body"]["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "length" if n < self.cut_off else "stop",
                        "message": {"role": "assistant", "content": verbatim_notes(sentences)},
                    }
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
            }
            out.append(
                {
                    "id": f"r{n}",
                    "custom_id": cid,
                    "error": None,
                    "response": {"status_code": 200, "request_id": f"q{n}", "body": reply},
                }
            )
        if out:
            batch["output_file_id"] = self.add_file(_jsonl(out), "batch_output")["id"]
        if err:
            batch["error_file_id"] = self.add_file(_jsonl(err), "batch_output")["id"]


def _jsonl(lines: list[dict]) -> bytes:
    return "".join(json.dumps(x) + "\n" for x in lines).encode()
