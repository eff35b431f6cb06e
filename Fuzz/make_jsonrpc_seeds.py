"""Writes seed inputs for the FuzzJSONRPC target: LSP sessions and framing edge cases.

Usage: make_jsonrpc_seeds.py OUT_DIR
"""
import json, os
import sys
out = sys.argv[1] if len(sys.argv) > 1 else "seeds/jsonrpc"
def frame(obj, crlf=True):
    body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    sep = b"\r\n\r\n" if crlf else b"\n\n"
    return b"Content-Length: " + str(len(body)).encode() + sep + body
uri = "file:///nonexistent/ws/main.go"
init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "processId": None, "rootUri": "file:///nonexistent/ws",
    "capabilities": {"workspace": {"codeLens": {"refreshSupport": True}, "inlayHint": {"refreshSupport": True}},
                     "window": {"workDoneProgress": True}},
    "initializationOptions": {"discover": False, "kind": "cpu", "diagnostics": True}}}
initialized = {"jsonrpc": "2.0", "method": "initialized", "params": {}}
didOpen = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "go", "version": 1, "text": "package main\n\nfunc main() {\n\tprintln(1)\n}\n"}}}
didChange = {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2},
    "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 3}}, "text": "x\ny"}, {"text": "whole\n"}]}}
hover = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 5}}}
lens = {"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeLens", "params": {"textDocument": {"uri": uri}}}
hints = {"jsonrpc": "2.0", "id": 4, "method": "textDocument/inlayHint", "params": {"textDocument": {"uri": uri},
    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}}
sym = {"jsonrpc": "2.0", "id": "s", "method": "workspace/symbol", "params": {"query": "ma"}}
cmds = [{"jsonrpc": "2.0", "id": 10 + i, "method": "workspace/executeCommand", "params": {"command": c, "arguments": a}}
        for i, (c, a) in enumerate([("profilelens.status", []), ("profilelens.hottest", [{"count": 3}]),
                                    ("profilelens.selectKind", ["alloc"]), ("profilelens.openLine", [{"file": "main.go", "line": 3}])])]
config = {"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": {"profilelens": {"hintThreshold": 2.5, "pathMappings": [{"from": "/a", "to": ""}], "discover": False}}}}
watched = {"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {"changes": [{"uri": uri, "type": 2}]}}
cancel = {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 3}}
response = {"jsonrpc": "2.0", "id": "profilelens-1", "result": None}
errresp = {"jsonrpc": "2.0", "id": "profilelens-2", "error": {"code": -32601, "message": "no"}}
close = {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}}
shutdown = {"jsonrpc": "2.0", "id": 99, "method": "shutdown"}
exit_ = {"jsonrpc": "2.0", "method": "exit"}
seeds = {
    "session": [init, initialized, didOpen, hover, lens, hints, sym, didChange, hover, close, shutdown, exit_],
    "commands": [init, initialized, didOpen] + cmds + [config, watched, cancel, response, errresp],
    "uninitialized": [hover, lens, shutdown],
    "init_only": [init],
    "notifications": [init, didOpen, didChange, config, watched, close],
}
for name, msgs in seeds.items():
    open(f"{out}/{name}", "wb").write(b"".join(frame(m) for m in msgs))
raw = {
    "lf_headers": frame(init, crlf=False) + frame(hover, crlf=False),
    "extra_headers": b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}",
    "bad_length": b"Content-Length: abc\r\n\r\n{}Content-Length: 2\r\n\r\n[]",
    "two_lengths": b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    "not_json": frame(b"{not json") + frame(b"42") + frame(b'{"jsonrpc":"2.0","id":[1]}'),
    "batch": frame(b'[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}]'),
    "huge_length": b"Content-Length: 999999999999\r\n\r\n{}",
    "garbage_resync": b"xxxx\r\n\r\nyyyContent-Length: 2\r\n\r\n{}",
}
for name, data in raw.items():
    open(f"{out}/{name}", "wb").write(data)
