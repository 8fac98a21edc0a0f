#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"

namespace ajuste {

// The human report of a run: one self-contained HTML page (inline CSS, charts as inline SVG,
// no script, no font, image or any other external reference; a Content-Security-Policy that
// forbids loading anything) built from what summary.json holds.
//
// Contract: never throws on the summary's content. A section whose data is missing or has the
// wrong type is left out, so the summary of a failed or interrupted run still gives a page.
// Every string from the summary is escaped. The same summary gives a byte-identical page
// (no clock, no locale, sorted JSON keys).
[[nodiscard]] std::string renderHtmlReport(const nlohmann::json& summary);

// Renders `summary` and writes it to `path` atomically. Registered secrets are blanked in every
// string of the summary before rendering (escaping could otherwise hide a secret holding '&' or
// '<' from the byte-level redaction that writeFileAtomically does as well).
Status writeHtmlReport(const nlohmann::json& summary, const std::filesystem::path& path);

}  // namespace ajuste
