#!/usr/bin/env python3
"""Opens a batch's HTML report in headless Chromium (Debian's `chromium`) and checks:
  1. from the rendered DOM: both charts with a bar per category / pillar, the worksheet table
     with one row per worksheet, made sortable by the page's own script, and counts that agree
     with summary.json;
  2. that clicking a column header sorts the table (a copy of the report with a test script);
  3. from Chromium's net log: the page made no network request. A control page that does load
     an image over the network proves the net-log check can see a request.
Chromium's own background services are pointed at an unresolvable host map, so nothing leaves
the machine. Chromium is installed with scripts/bootstrap when missing.
Usage: report_browser_test.py SELFTALK_BINARY SOURCE_DIR
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 60


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def find_chromium(source_dir):
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    print("chromium is missing: installing it with scripts/bootstrap chromium")
    subprocess.run([os.path.join(source_dir, "scripts", "bootstrap"), "chromium"], check=False)
    if not shutil.which("chromium"):
        fail("chromium is not installed and could not be installed")
    return shutil.which("chromium")


def run_chromium(chromium, page, workdir, name):
    """Loads page, returns (rendered DOM, page-initiated network requests)."""
    profile = os.path.join(workdir, "profile-" + name)
    netlog = os.path.join(workdir, name + ".netlog.json")
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run",
            "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile,
            "--log-net-log=" + netlog, "--dump-dom", "file://" + page]
    result = subprocess.run(args, capture_output=True, timeout=TIMEOUT)
    if result.returncode != 0 or not result.stdout:
        fail("chromium failed (%d): %s" % (result.returncode, result.stderr.decode(errors="replace")[-2000:]))
    return result.stdout.decode("utf-8"), page_requests(netlog)


def page_requests(netlog_path):
    """URLs of requests a page started (not Chromium's own services), from a net log."""
    with open(netlog_path, encoding="utf-8") as f:
        text = f.read().rstrip()
    if not text.endswith("}"):  # a log cut short by the browser's exit
        text = text.rstrip(",") + "]}"
    log = json.loads(text)
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log["events"]:
        if types.get(event["type"]) != "URL_REQUEST_START_JOB":
            continue
        params = event.get("params", {})
        url = params.get("url")
        if url is None:
            continue
        from_page = params.get("initiator") != "not an origin" or "file://" in params.get("network_isolation_key", "")
        if from_page:
            urls.append(url)
    return urls


class Dom(html.parser.HTMLParser):
    """Collects the elements the checks need from the dumped DOM."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.svgs = {}          # id -> {key: value}
        self.table_attrs = None
        self.rows = []          # tbody rows of #worksheets: list of cell texts
        self.headers = []
        self.kpis = {}
        self._svg = None
        self._in_table = False
        self._in_tbody = False
        self._in_thead = False
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and a.get("id", "").startswith("chart-"):
            self._svg = a["id"]
            self.svgs[self._svg] = {}
        if tag == "g" and self._svg and "data-key" in a:
            self.svgs[self._svg][a["data-key"]] = int(a["data-value"])
        if tag == "div" and a.get("id", "").startswith("kpi-"):
            self.kpis[a["id"][4:]] = int(a["data-value"])
        if tag == "table" and a.get("id") == "worksheets":
            self._in_table = True
            self.table_attrs = a
        if self._in_table and tag == "thead":
            self._in_thead = True
        if self._in_table and tag == "tbody":
            self._in_tbody = True
        if self._in_tbody and tag == "tr":
            self._row = []
        if self._in_table and tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = None
        if tag == "table" and self._in_table:
            self._in_table = False
        if tag == "thead":
            self._in_thead = False
        if tag == "tbody":
            self._in_tbody = False
        if tag in ("td", "th") and self._cell is not None:
            if self._in_thead:
                self.headers.append(self._cell.strip())
            elif self._row is not None:
                self._row.append(self._cell.strip())
            self._cell = None
        if tag == "tr" and self._row is not None and self._in_tbody:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def parse(dom_text):
    d = Dom()
    d.feed(dom_text)
    return d


def main():
    if len(sys.argv) != 3:
        fail("usage: report_browser_test.py SELFTALK_BINARY SOURCE_DIR")
    binary, source_dir = sys.argv[1], sys.argv[2]
    chromium = find_chromium(source_dir)
    with tempfile.TemporaryDirectory(prefix="selftalk-report-") as work:
        inputs = os.path.join(work, "in")
        os.makedirs(inputs)
        texts = ["I always ruin everything. I should have known better.", "We had soup. It was warm.",
                 "I'm such a failure and everyone knows it.", "Some days I want to die.",
                 "I should have called. I always forget.", "<script>alert('x')</script> I'm useless."]
        for i in range(30):
            with open(os.path.join(inputs, "ws-%02d.txt" % i), "w", encoding="utf-8") as f:
                f.write(texts[i % len(texts)] + "\n")
        with open(os.path.join(inputs, "broken.txt"), "wb") as f:
            f.write(b"\x00\x01binary")
        out = os.path.join(work, "out")
        run = subprocess.run([binary, "batch", inputs, "-q", "-o", out], capture_output=True, timeout=600)
        if run.returncode != 4:
            fail("batch exit code %d, expected 4 (one broken worksheet): %s" % (run.returncode, run.stderr))
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
        report = os.path.join(out, "report.html")

        dom_text, requests = run_chromium(chromium, report, work, "report")
        if requests:
            fail("the report made network requests: %s" % requests)
        dom = parse(dom_text)
        cats = dom.svgs.get("chart-categories")
        pillars = dom.svgs.get("chart-pillars")
        if not cats or len(cats) != 14:
            fail("the category chart is missing or incomplete: %s" % cats)
        if not pillars or sorted(pillars) != ["common_humanity", "mindfulness", "self_kindness"]:
            fail("the pillar chart is missing or incomplete: %s" % pillars)
        for name, value in cats.items():
            if summary["categories"][name]["findings"] != value:
                fail("chart %s=%d but summary.json says %d" % (name, value, summary["categories"][name]["findings"]))
        if dom.table_attrs is None or dom.table_attrs.get("data-sortable") != "ready":
            fail("the worksheet table is missing or its sorting script did not run")
        if len(dom.rows) != summary["worksheets"] or len(dom.rows) != 31:
            fail("%d table rows for %d worksheets" % (len(dom.rows), summary["worksheets"]))
        findings_col = dom.headers.index("findings")
        if sum(int(r[findings_col]) for r in dom.rows) != summary["findings"] or summary["findings"] == 0:
            fail("the table's findings do not add up to the summary's %d" % summary["findings"])
        if dom.kpis.get("findings") != summary["findings"] or dom.kpis.get("errors") != 1:
            fail("headline numbers disagree with summary.json: %s" % dom.kpis)
        if dom.kpis.get("safety") != summary["worksheets_with_safety"] or summary["worksheets_with_safety"] == 0:
            fail("the safety count disagrees or is zero: %s" % dom.kpis)

        # Sorting: click "findings" twice (ascending, then descending) in a copy of the report.
        with open(report, encoding="utf-8") as f:
            page = f.read()
        probe = ("<script>var th=document.querySelector('#worksheets th[data-key=findings]');th.click();th.click();"
                 "document.body.setAttribute('data-probe','clicked');</script></body>")
        sorted_page = os.path.join(work, "sorted.html")
        with open(sorted_page, "w", encoding="utf-8") as f:
            f.write(page.replace("</body>", probe))
        dom_text, requests = run_chromium(chromium, sorted_page, work, "sorted")
        if "data-probe=\"clicked\"" not in dom_text:
            fail("the sorting probe did not run")
        values = [int(r[findings_col]) for r in parse(dom_text).rows]
        if values != sorted(values, reverse=True) or values[0] == values[-1]:
            fail("clicking 'findings' twice did not sort descending: %s" % values)

        # Control: the net-log check sees a request when a page makes one (to a closed local port).
        control = os.path.join(work, "control.html")
        with open(control, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\"></body></html>")
        _, requests = run_chromium(chromium, control, work, "control")
        if not any("127.0.0.1:9" in u for u in requests):
            fail("the control page's request was not seen in the net log; the check proves nothing")
    print("report in Chromium: charts (14 categories, 3 pillars), %d table rows, sorting works, "
          "no network request (the control page's request was seen)" % summary["worksheets"])


if __name__ == "__main__":
    main()
