#!/usr/bin/env python3
"""The streaming-filter contract of `selftalk --input-format jsonl --format jsonl` (docs/scale.md).

Checks, against the real binary with pipes:
  1. one output line per input record, in input order, written and flushed before the next
     record is read (the test waits for each answer before sending the next record);
  2. a malformed line is answered by an error record in its place, and the rest go on (exit 4);
  3. no global state: the input split into two parts and run as two processes gives the same
     lines as one process over the whole (what Spark's RDD.pipe or GNU parallel --pipe do).
Usage: filter_contract.py SELFTALK_BINARY
"""
import json
import os
import select
import subprocess
import sys

STARTUP_TIMEOUT = 180  # compiling the rules on a loaded 2-core machine under a sanitizer
RECORD_TIMEOUT = 60


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def records():
    texts = ["I always ruin everything.", "We had soup by the window.", "I'm such a failure.",
             "I should have known better.", "The bus was late again."]
    lines = []
    for i in range(40):
        if i == 17:
            lines.append('{"id": 17, "text": ')  # malformed JSON
        elif i == 23:
            lines.append('{"text": "no id here"}')  # no id
        else:
            rec_id = i if i % 2 else "r-%d" % i
            lines.append(json.dumps({"id": rec_id, "text": texts[i % len(texts)]}))
    return lines


def read_line(proc, buf, timeout):
    """Reads one line from proc.stdout within timeout seconds, or fails."""
    fd = proc.stdout.fileno()
    while b"\n" not in buf[0]:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            fail("no answer within %d s: the filter did not flush the record's line" % timeout)
        chunk = os.read(fd, 65536)
        if not chunk:
            fail("the filter closed its output early")
        buf[0] += chunk
    line, buf[0] = buf[0].split(b"\n", 1)
    return line.decode("utf-8")


def interactive(binary, lines):
    proc = subprocess.Popen([binary, "--input-format", "jsonl", "--format", "jsonl"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    buf = [b""]
    answers = []
    for n, line in enumerate(lines):
        proc.stdin.write((line + "\n").encode("utf-8"))
        proc.stdin.flush()  # stdin stays open: only a flushed answer can arrive now
        answers.append(read_line(proc, buf, STARTUP_TIMEOUT if n == 0 else RECORD_TIMEOUT))
    proc.stdin.close()
    rest = proc.stdout.read()
    err = proc.stderr.read().decode("utf-8")
    code = proc.wait(timeout=RECORD_TIMEOUT)
    if rest.strip():
        fail("output after the last record: %r" % rest[:200])
    return answers, err, code


def batch(binary, lines):
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    result = subprocess.run([binary, "--input-format", "jsonl", "--format", "jsonl"], input=data,
                            capture_output=True, timeout=STARTUP_TIMEOUT)
    return result.stdout.decode("utf-8")


def main():
    if len(sys.argv) != 2:
        fail("usage: filter_contract.py SELFTALK_BINARY")
    binary = sys.argv[1]
    lines = records()
    answers, err, code = interactive(binary, lines)
    if len(answers) != len(lines):
        fail("%d answers for %d records" % (len(answers), len(lines)))
    findings = 0
    for i, (sent, got) in enumerate(zip(lines, answers)):
        out = json.loads(got)
        if i == 17:
            if "error" not in out or "line 18" not in out["error"]:
                fail("record 17 should be an error record for line 18, got %s" % got)
            continue
        if i == 23:
            if "error" not in out or "no \"id\"" not in out["error"]:
                fail("record 23 should be an error record (no id), got %s" % got)
            continue
        expected_id = json.loads(sent)["id"]
        if out.get("id") != expected_id:
            fail("answer %d has id %r, expected %r (order broken)" % (i, out.get("id"), expected_id))
        if "error" in out or "findings" not in out:
            fail("answer %d is not an analysis: %s" % (i, got))
        findings += len(out["findings"])
    if findings == 0:
        fail("no findings at all: the filter did not analyse the records")
    if code != 4:
        fail("exit code %d, expected 4 (some records were malformed)" % code)
    if "line 18" not in err:
        fail("the malformed line is not reported on stderr: %r" % err)

    parts = batch(binary, lines[:20]) + batch(binary, lines[20:])
    # Line numbers in error messages are per process; everything else must be identical.
    def comparable(text_lines):
        return [json.loads(l).get("id") if "error" in json.loads(l) else l for l in text_lines]
    if comparable(parts.splitlines()) != comparable(answers):
        fail("two partitions piped separately differ from one run over the whole input")
    print("filter contract: %d records answered in order, each flushed; 2 error records; partitions agree"
          % len(lines))


if __name__ == "__main__":
    main()
