#!/usr/bin/env python3
"""Replays a scan client's job on hpaio-sim to get the very page that client was sent.

  fetch_page.py --proto escl|ledm --host 127.0.0.1:8080 --settings FILE [--out FILE]
  fetch_page.py ... --url-only   prints 'JOBPATH URL': the page URL once it can be fetched
                                 (eSCL: right after POST; use a sim with --busy 0)
  fetch_page.py --proto ledm --host H --cancel JOBPATH

--settings is the ScanSettings body the client POSTed (bench/run.sh takes it from the
simulator's request log), so the page has exactly the client's geometry and format.
"""
import argparse
import http.client
import re
import sys
import time
import urllib.parse


def conn(host):
    h, p = host.rsplit(":", 1)
    return http.client.HTTPConnection(h, int(p), timeout=60)


def request(c, method, path, body=None, headers=None):
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    return r, r.read()


def job_path(location):
    return urllib.parse.urlsplit(location).path.rstrip("/")


def escl(args, settings):
    c = conn(args.host)
    deadline = time.monotonic() + 30
    while True:  # 503 while the device still reports the previous job
        r, _ = request(c, "POST", "/eSCL/ScanJobs", settings, {"Content-Type": "text/xml"})
        if r.status != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    if r.status != 201:
        sys.exit(f"POST ScanJobs: {r.status}")
    job = job_path(r.getheader("Location"))
    if args.url_only:
        print(f"{job} http://{args.host}{job}/NextDocument")
        sys.exit(0)
    deadline = time.monotonic() + 30
    while True:
        r, body = request(c, "GET", job + "/NextDocument")
        if r.status == 200:
            return body
        if r.status != 503 or time.monotonic() > deadline:
            sys.exit(f"GET NextDocument: {r.status}")
        time.sleep(0.02)


def ledm_ready(args, settings):
    c = conn(args.host)
    r, _ = request(c, "POST", "/Scan/Jobs", settings, {"Content-Type": "text/xml"})
    if r.status != 201:
        sys.exit(f"POST /Scan/Jobs: {r.status}")
    job = job_path(r.getheader("Location"))
    deadline = time.monotonic() + 30
    while True:
        r, doc = request(c, "GET", job)
        text = doc.decode("utf-8", "replace")
        m = re.search(r"<BinaryURL>([^<]+)</BinaryURL>", text)
        if m and "ReadyToUpload" in text:
            return c, job, m.group(1)
        if time.monotonic() > deadline:
            sys.exit("LEDM page never became ReadyToUpload")
        time.sleep(0.02)


def ledm_cancel(c, job):
    body = ('<?xml version="1.0" encoding="UTF-8"?><j:Job xmlns:j="http://www.hp.com/schemas/imaging/con/ledm/jobs/2009/04/30">'
            "<j:JobState>Canceled</j:JobState></j:Job>")
    request(c, "PUT", job, body, {"Content-Type": "text/xml"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proto", choices=["escl", "ledm"], required=True)
    ap.add_argument("--host", default="127.0.0.1:8080")
    ap.add_argument("--settings")
    ap.add_argument("--out")
    ap.add_argument("--url-only", action="store_true")
    ap.add_argument("--cancel")
    args = ap.parse_args()
    if args.cancel:
        ledm_cancel(conn(args.host), args.cancel)
        return
    settings = open(args.settings, "rb").read()
    if args.proto == "escl":
        body = escl(args, settings)
    else:
        c, job, url = ledm_ready(args, settings)
        if args.url_only:
            print(f"{job} http://{args.host}{url}")
            return
        _, body = request(c, "GET", url)
        ledm_cancel(c, job)
    with open(args.out, "wb") as f:
        f.write(body)


if __name__ == "__main__":
    main()
