// The JSON form of analysis results (schema: docs/output-schema.json). Writing is dependency-free
// and deterministic: the same Analysis gives byte-identical JSON.
#ifndef SELFTALK_JSON_H
#define SELFTALK_JSON_H

#include <string>
#include <string_view>

#include "selftalk/analyzer.h"

namespace selftalk {

// Appends s as a JSON string literal (quotes included). Bytes that are not valid UTF-8 are
// written as \ufffd, so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

// Appends one finding as a JSON object.
void append_json(std::string& out, const Finding& f);

// Appends the scores as a JSON object.
void append_json(std::string& out, const Scores& s);

// Appends {"findings": [...], "scores": {...}, "self_compassion_break": ..., ...} for one text.
void append_json(std::string& out, const Analysis& a);

}  // namespace selftalk

#endif  // SELFTALK_JSON_H
