#!/usr/bin/env python3
"""Analyses a sentence with selftalk's C API through ctypes and prints the findings.

    python3 example.py [--library PATH] [TEXT]

The shared library is PATH, else $SELFTALK_LIBRARY, else libselftalk found by the system loader.
"""
import argparse
import ctypes
import ctypes.util
import os
import sys

SAMPLE = "I always ruin everything. I should have known better. I'm such a failure."


class Finding(ctypes.Structure):
    """Mirror of selftalk_finding (selftalk/selftalk_c.h); fields only ever get appended."""
    _fields_ = [
        ("rule", ctypes.c_char_p),
        ("category", ctypes.c_int),
        ("pillar", ctypes.c_int),
        ("severity", ctypes.c_int),
        ("reported", ctypes.c_int),
        ("begin", ctypes.c_size_t), ("end", ctypes.c_size_t),
        ("line", ctypes.c_size_t), ("column", ctypes.c_size_t),
        ("cp_begin", ctypes.c_size_t), ("cp_end", ctypes.c_size_t),
        ("utf16_begin", ctypes.c_size_t), ("utf16_end", ctypes.c_size_t),
        ("sentence_begin", ctypes.c_size_t), ("sentence_end", ctypes.c_size_t),
        ("text", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
        ("friend_view", ctypes.c_char_p),
        ("support", ctypes.c_char_p),
        ("reframe_count", ctypes.c_size_t),
        ("reframes", ctypes.POINTER(ctypes.c_char_p)),
        ("reframe_strategies", ctypes.POINTER(ctypes.c_char_p)),
    ]


def load(path):
    path = path or os.environ.get("SELFTALK_LIBRARY") or ctypes.util.find_library("selftalk")
    if not path:
        sys.exit("libselftalk not found: pass --library or set SELFTALK_LIBRARY")
    lib = ctypes.CDLL(path)
    p = ctypes.c_void_p
    signatures = {
        "selftalk_version": (ctypes.c_char_p, []),
        "selftalk_category_name": (ctypes.c_char_p, [ctypes.c_int]),
        "selftalk_error_message": (ctypes.c_char_p, [p]),
        "selftalk_error_free": (None, [p]),
        "selftalk_ruleset_default": (p, [ctypes.POINTER(p)]),
        "selftalk_ruleset_free": (None, [p]),
        "selftalk_analyzer_new": (p, [p, p, ctypes.POINTER(p)]),
        "selftalk_analyzer_free": (None, [p]),
        "selftalk_analyze": (p, [p, ctypes.c_char_p, ctypes.c_size_t]),
        "selftalk_result_count": (ctypes.c_size_t, [p]),
        "selftalk_result_finding": (ctypes.POINTER(Finding), [p, ctypes.c_size_t]),
        "selftalk_result_free": (None, [p]),
    }
    for name, (restype, argtypes) in signatures.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library")
    parser.add_argument("text", nargs="?", default=SAMPLE)
    args = parser.parse_args()
    lib = load(args.library)

    error = ctypes.c_void_p()
    rules = lib.selftalk_ruleset_default(ctypes.byref(error))
    if not rules:
        message = lib.selftalk_error_message(error).decode()
        lib.selftalk_error_free(error)
        sys.exit("selftalk: " + message)
    analyzer = lib.selftalk_analyzer_new(rules, None, ctypes.byref(error))
    data = args.text.encode("utf-8")
    result = lib.selftalk_analyze(analyzer, data, len(data))
    try:
        print(f"selftalk {lib.selftalk_version().decode()}: {lib.selftalk_result_count(result)} findings")
        for i in range(lib.selftalk_result_count(result)):
            f = lib.selftalk_result_finding(result, i).contents
            category = lib.selftalk_category_name(f.category).decode()
            # begin/end are UTF-8 byte offsets: slice the encoded text, not the str.
            span = data[f.begin:f.end].decode("utf-8", "replace")
            print(f"{f.line}:{f.column}: {category}: \"{span}\" [{f.rule.decode()}]")
            for k in range(f.reframe_count):
                print(f"    try: {f.reframes[k].decode()}")
    finally:
        lib.selftalk_result_free(result)
        lib.selftalk_analyzer_free(analyzer)
        lib.selftalk_ruleset_free(rules)


if __name__ == "__main__":
    main()
