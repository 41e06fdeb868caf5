"""A stand-in for the GitHub and GitLab REST APIs on 127.0.0.1, for testing scripts/ci/sticky-comment.sh.

    python3 scripts/ci/fake_api.py ROUTES.json LOG.jsonl     # prints the port, then serves until killed

ROUTES.json maps "METHOD /path?query" to {"status": N, "body": JSON} or {"status": N, "file": PATH}; any other
request gets 404. Every request is appended to LOG.jsonl as {"method", "path", "headers", "body"}.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

routes = json.load(open(sys.argv[1]))
log_path = sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else None
        with open(log_path, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                  "body": json.loads(body) if body else None}) + "\n")
        route = routes.get(f"{self.command} {self.path}")
        if route is None:
            status, payload = 404, json.dumps({"message": "Not Found"})
        elif "file" in route:
            status, payload = route["status"], open(route["file"]).read()
        else:
            status, payload = route["status"], json.dumps(route.get("body"))
        data = payload.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = handle_any

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
